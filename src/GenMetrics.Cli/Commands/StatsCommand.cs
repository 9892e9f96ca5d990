using System.Globalization;
using GenMetrics.Evaluation;
using GenMetrics.Metrics;
using GenMetrics.Statistics;
using GenMetrics.Features;
using GenMetrics.Imaging;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics stats INPUT --out S.npz</c>: μ, Σ and the mergeable sums of a feature set.</summary>
internal sealed class StatsCommand : ICliCommand
{
    private const string Usage = "genmetrics stats INPUT --out S.npz [--protocol P] [--dims D] [--weights W.pth] [--shard I/N|auto [--shard-count N]]";

    public string Name => "stats";

    public string Summary => "write FID statistics (mu, sigma, n, sum, sum_xxT, provenance) of a feature set";

    public string Help => $"usage: {Usage}\n  --out S.npz        output file (pytorch-fid readable; written atomically); with --protocol adm (or an ADM batch input)\n                     an ADM reference statistics file: mu, sigma, mu_s, sigma_s as ADM's evaluator reads them\n{ShardSpec.HelpText}\n{DistributionOptions.HelpText}";

    public CommandOptions Options { get; } = new CommandOptions([.. DistributionOptions.ValueOptions, "--out", "--shard", "--shard-count"], DistributionOptions.FlagOptions).WithAlias("-o", "--out");

    public int Run(CommandLineArguments args, CliContext context)
    {
        args.RequirePositionals(1, 1, Usage);
        string output = args.GetString("--out") ?? throw new GenMetricsException($"missing --out S.npz; usage: {Usage}");
        GenMetrics.Checkpoints.FileKindPolicy.RequireWritableOutput(output);
        var options = DistributionOptions.Read(args);
        var shard = ShardSpec.Read(args);
        var stats = shard is null
            ? DistributionEvaluation.WriteStatistics(args.Positionals[0], output, options,
                DistributionOptions.ReadImageSettings(args, context), args.GetString("--weights", ""))
            : WriteShard(args.Positionals[0], output, options, DistributionOptions.ReadImageSettings(args, context), shard);
        var provenance = stats.Provenance;
        bool adm = provenance.Protocol == KnownProtocols.Adm.Name;
        bool withImages = adm && GenMetrics.Checkpoints.NpzFile.ReadKeys(output).Contains(AdmReferenceStatistics.ImagesKey);
        if (args.Json)
        {
            JsonOutput.WriteObject(context.Out, j =>
            {
                j.WriteString("output", output);
                j.WriteNumber("n", stats.Count ?? 0);
                j.WriteNumber("dims", stats.Dimension);
                j.WriteString("protocol", provenance.Protocol);
                if (adm) j.WriteBoolean("arr_0", withImages);
            });
        }
        else
        {
            string images = !adm ? "" : withImages ? "; ADM reference batch with arr_0, mu, sigma, mu_s, sigma_s" : "; mu, sigma, mu_s, sigma_s without arr_0 (the images differ in size)";
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}: n={stats.Count}, d={stats.Dimension}, protocol {provenance.Protocol}{images}"));
        }
        return 0;
    }

    /// <summary>The statistics of one shard (the same cached feature path as the whole input) plus OUT.shard.json.</summary>
    private static GaussianStatistics WriteShard(string input, string output, EvaluationOptions options, ImageFeatureSettings images, ImageShard shard)
    {
        if (!DistributionEvaluation.IsImageInput(input)) throw new GenMetricsException($"{input}: --shard needs an image folder or .zip");
        using var whole = ImageSource.Open(input);
        var (start, end) = shard.Range(whole.Entries.Count);
        if (end - start < 2) throw new GenMetricsException($"{input}: shard {shard} has {end - start} images; statistics need at least 2, use fewer shards");
        var stats = DistributionEvaluation.WriteStatistics(input, output, options, images, shard: shard);
        new ShardInfo("stats", shard.Index, shard.Count, start, end, whole.Entries.Count, ShardSpec.Fingerprint(whole),
            stats.Provenance.Protocol, stats.Provenance.Layer, stats.Provenance.Weights).Write(output);
        return stats;
    }
}
