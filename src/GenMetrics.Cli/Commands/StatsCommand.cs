using System.Globalization;
using GenMetrics.Metrics;
using GenMetrics.Statistics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics stats INPUT --out S.npz</c>: μ, Σ and the mergeable sums of a feature set.</summary>
internal sealed class StatsCommand : ICliCommand
{
    private const string Usage = "genmetrics stats INPUT --out S.npz [--protocol P] [--dims D] [--weights W.pth]";

    public string Name => "stats";

    public string Summary => "write FID statistics (mu, sigma, n, sum, sum_xxT, provenance) of a feature set";

    public string Help => $"usage: {Usage}\n  --out S.npz        output file (pytorch-fid readable; written atomically)\n\n{DistributionOptions.HelpText}";

    public CommandOptions Options { get; } = new CommandOptions([.. DistributionOptions.ValueOptions, "--out"], DistributionOptions.FlagOptions).WithAlias("-o", "--out");

    public int Run(CommandLineArguments args, CliContext context)
    {
        args.RequirePositionals(1, 1, Usage);
        string output = args.GetString("--out") ?? throw new GenMetricsException($"missing --out S.npz; usage: {Usage}");
        GenMetrics.Checkpoints.FileKindPolicy.RequireReplaceableOutput(output);
        var options = DistributionOptions.Read(args);
        var stats = DistributionEvaluation.WriteStatistics(args.Positionals[0], output, options,
            DistributionOptions.ReadImageSettings(args, context), args.GetString("--weights", ""));
        var provenance = stats.Provenance;
        if (args.Json)
        {
            JsonOutput.WriteObject(context.Out, j =>
            {
                j.WriteString("output", output);
                j.WriteNumber("n", stats.Count ?? 0);
                j.WriteNumber("dims", stats.Dimension);
                j.WriteString("protocol", provenance.Protocol);
            });
        }
        else
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}: n={stats.Count}, d={stats.Dimension}, protocol {provenance.Protocol}"));
        }
        return 0;
    }
}
