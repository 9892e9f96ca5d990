using System.CommandLine;
using System.Globalization;
using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics merge-stats A.npz B.npz ... -o C.npz</c>: statistics of the union of shards.</summary>
internal sealed class MergeStatsCommand : ICliCommand
{
    private readonly Argument<string[]> _inputs = new("FILES") { Description = "stats files (.npz) of disjoint parts of one set, or every shard of 'stats --shard'", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _out = OptionCatalog.Out("C.npz", "the merged statistics file (written atomically)");
    private static readonly Option<bool> Force = new("--force") { Description = "merge files whose protocol, layer or weights differ" };

    public string Name => "merge-stats";

    public string Summary => "merge stats files (n, mu, sigma) into the statistics of their union (equal to one pass over all images)";

    public IReadOnlyList<Symbol> Symbols => [_inputs, _out, Force, .. StatsFileFlags.Options];

    public int Run(CommandLineArguments args, CliContext context)
    {
        string output = args.Get(_out);
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
            if (args.Positionals.Count < 2) throw new GenMetricsException("merge-stats needs at least two stats files (or the shards of 'stats --shard')");
            stats = DistributionEvaluation.MergeStatistics(args.Positionals, output, args.Get(Force), StatsFileFlags.Read(args));
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
            if (args.Get(Force)) j.WriteBoolean("force", true);
            j.WriteEndObject();
            ResultInput.WriteAll(j, args.Positionals.Select(p => new ResultInput("shard", p, "statistics")));
        }, o => o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}: n={stats.Count}, d={stats.Dimension}")));
        return 0;
    }
}
