using System.Globalization;
using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics merge-stats A.npz B.npz ... -o C.npz</c>: statistics of the union of shards.</summary>
internal sealed class MergeStatsCommand : ICliCommand
{
    private const string Usage = "genmetrics merge-stats A.npz B.npz [...] -o C.npz [--force] [--uncompressed] [--sums]";

    public string Name => "merge-stats";

    public string Summary => "merge stats files (n, mu, sigma) into the statistics of their union";

    public string Help => $"usage: {Usage}\n  -o, --out C.npz    output file\n  --force            merge files with different protocol/layer/weights\n{StatsFileFlags.HelpText}";

    public CommandOptions Options { get; } = new CommandOptions(["--out"], ["--force", .. StatsFileFlags.Flags]).WithAlias("-o", "--out");

    public int Run(CommandLineArguments args, CliContext context)
    {
        args.RequirePositionals(1, int.MaxValue, Usage);
        string output = args.GetString("--out") ?? throw new GenMetricsException($"missing -o C.npz; usage: {Usage}");
        GenMetrics.Checkpoints.FileKindPolicy.RequireWritableOutput(output);
        Statistics.GaussianStatistics stats;
        if (args.Positionals.Any(p => File.Exists(ShardSpec.SidecarPath(p))))
        {
            var shards = ShardInfo.Validate(args.Positionals, "stats"); // all shards of one input, each once
            var paths = shards.Select(s => s.Path).ToList();
            stats = DistributionEvaluation.MergeStatistics(paths, output, force: false, StatsFileFlags.Read(args));
            var f = shards[0].Info;
            new ShardInfo("stats", 0, 1, 0, f.Total, f.Total, f.InputFingerprint, f.Protocol, f.Layer, f.WeightsSha256).Write(output);
        }
        else
        {
            args.RequirePositionals(2, int.MaxValue, Usage);
            stats = DistributionEvaluation.MergeStatistics(args.Positionals, output, args.Has("--force"), StatsFileFlags.Read(args));
        }
        if (args.Json)
        {
            JsonOutput.WriteObject(context.Out, j =>
            {
                j.WriteString("output", output);
                j.WriteNumber("n", stats.Count ?? 0);
                j.WriteNumber("dims", stats.Dimension);
            });
        }
        else
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}: n={stats.Count}, d={stats.Dimension}"));
        }
        return 0;
    }
}
