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
        if (args.Positionals.Count == 1)
        {
            if (saveStats is null) throw new GenMetricsException("fid needs REAL and FAKE (or one input with --save-stats S.npz to write its statistics)");
            SavedStatistics.Write(args, context, _protocol, args.Positionals[0], saveStats);
            return 0;
        }
        int exit = DistributionCommand.Run(args, context, DistributionMetrics.Fid, _protocol);
        if (saveStats is not null)
        {
            var targets = SavedStatistics.Targets(args.Positionals, saveStats);
            for (int i = 0; i < 2; i++)
            {
                if (targets[i] is { } target) SavedStatistics.Write(args, context, _protocol, args.Positionals[i], target, quietLine: args.Json);
            }
        }
        return exit;
    }
}
