using System.Globalization;
using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics merge-stats A.npz B.npz ... -o C.npz</c>: statistics of the union of shards.</summary>
internal sealed class MergeStatsCommand : ICliCommand
{
    private const string Usage = "genmetrics merge-stats A.npz B.npz [...] -o C.npz [--force]";

    public string Name => "merge-stats";

    public string Summary => "merge stats files (n, sum, sum_xxT) into the statistics of their union";

    public string Help => $"usage: {Usage}\n  -o, --out C.npz    output file\n  --force            merge files with different protocol/layer/weights";

    public CommandOptions Options { get; } = new CommandOptions(["--out"], ["--force"]).WithAlias("-o", "--out");

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
            if (paths.Count == 1)
            {
                stats = Statistics.StatsFile.Read(paths[0]);
                Statistics.StatsFile.Write(output, stats);
            }
            else
            {
                stats = DistributionEvaluation.MergeStatistics(paths, output, force: false);
            }
            var f = shards[0].Info;
            new ShardInfo("stats", 0, 1, 0, f.Total, f.Total, f.InputFingerprint, f.Protocol, f.Layer, f.WeightsSha256).Write(output);
        }
        else
        {
            args.RequirePositionals(2, int.MaxValue, Usage);
            stats = DistributionEvaluation.MergeStatistics(args.Positionals, output, args.Has("--force"));
        }
        context.WriteResult(Name, j =>
        {
            j.WriteString("output", output);
            if (stats.Count is long n) j.WriteNumber("n", n);
            j.WriteNumber("dims", stats.Dimension);
            j.WriteStartObject("settings");
            if (stats.Provenance.Protocol.Length > 0) j.WriteString("protocol", stats.Provenance.Protocol);
            j.WriteNumber("dims", stats.Dimension);
            if (stats.Provenance.Layer.Length > 0) j.WriteString("layer", stats.Provenance.Layer);
            if (args.Has("--force")) j.WriteBoolean("force", true);
            j.WriteEndObject();
            ResultInput.WriteAll(j, args.Positionals.Select(p => new ResultInput("shard", p, "statistics")));
        }, o => o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}: n={stats.Count}, d={stats.Dimension}")));
        return 0;
    }
}
