using System.CommandLine;
using GenMetrics.Evaluation;
using GenMetrics.Features;

namespace GenMetrics.Cli.Commands;

/// <summary>
/// <c>genmetrics fid REAL FAKE [options]</c>: Fréchet Inception Distance between REAL and FAKE, pytorch-fid's protocol
/// by default; <c>--save-stats</c> also writes the inputs' statistics (with one input, only that, as pytorch-fid).
/// </summary>
internal sealed class FidCommand : ICliCommand
{
    private readonly Argument<string> _real = DistributionOptions.Real();
    private readonly Argument<string?> _fake = new("FAKE") { Description = $"the generated set (omitted with --save-stats: REAL's statistics only): {DistributionOptions.InputKinds}", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string> _protocol = DistributionOptions.ProtocolFor(KnownProtocols.PytorchFid);

    public string Name => "fid";

    public string Summary => "Fréchet Inception Distance between REAL and FAKE (default protocol: pytorch-fid)";

    public IReadOnlyList<Symbol> Symbols => [_real, _fake, _protocol, .. DistributionOptions.Fid, OptionCatalog.SaveStats, .. OptionCatalog.ImageInputs];

    public int Run(CommandLineArguments args, CliContext context)
    {
        string? saveStats = args.Get(OptionCatalog.SaveStats);
        if (saveStats is not null) SavedStatistics.RequireTargets(args.Positionals, saveStats);
        if (args.Positionals.Count == 2)
        {
            return DistributionCommand.Run(args, context, DistributionMetrics.Fid, _protocol,
                afterEvaluation: saveStats is null ? null : () => SavedStatistics.Write(args, context, _protocol, args.Positionals, saveStats));
        }
        if (saveStats is null) throw new GenMetricsException("fid needs REAL and FAKE (or one input with --save-stats S.npz to write its statistics)");
        var saved = SavedStatistics.Write(args, context, _protocol, args.Positionals, saveStats);
        context.WriteResult(Name, json =>
        {
            saved.Json(json);
            json.WriteStartObject("settings");
            json.WriteString("protocol", OptionCatalog.Choice(args.Get(_protocol), KnownProtocols.All.Select(p => p.Name)));
            json.WriteEndObject();
            ResultInput.WriteAll(json, [ResultInput.Of("input", args.Positionals[0], null)]);
        }, saved.Text);
        return 0;
    }
}
