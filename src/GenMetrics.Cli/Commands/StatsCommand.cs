using System.CommandLine;
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
    private readonly Argument<string> _input = new("INPUT") { Description = $"the set: {DistributionOptions.InputKinds}" };
    private readonly Option<string> _protocol = DistributionOptions.ProtocolFor(KnownProtocols.PytorchFid);
    private readonly Option<string> _out = OptionCatalog.Out("S.npz",
        "the statistics file (pytorch-fid readable; written atomically); with --protocol adm (or an ADM batch input) an ADM reference statistics file: mu, sigma, mu_s, sigma_s as ADM's evaluator reads them");

    public string Name => "stats";

    public string Summary => "write the FID statistics (mu, sigma, n, provenance; compressed) of a set, mergeable with merge-stats (default protocol: pytorch-fid)";

    public IReadOnlyList<Symbol> Symbols => [_input, _out, _protocol, OptionCatalog.Dims, .. StatsFileFlags.Options, .. ShardSpec.Options, .. OptionCatalog.ImageInputs];

    public int Run(CommandLineArguments args, CliContext context)
    {
        string output = args.Get(_out);
        GenMetrics.Checkpoints.FileKindPolicy.RequireWritableOutput(output);
        var options = DistributionOptions.Read(args, _protocol);
        var shard = ShardSpec.Read(args);
        var stats = shard is null
            ? DistributionEvaluation.WriteStatistics(args.Positionals[0], output, options,
                DistributionOptions.ReadImageSettings(args, context), args.Get(OptionCatalog.Weights) ?? "", fileOptions: StatsFileFlags.Read(args))
            : WriteShard(args.Positionals[0], output, options, DistributionOptions.ReadImageSettings(args, context), shard, StatsFileFlags.Read(args));
        var provenance = stats.Provenance;
        bool adm = provenance.Protocol == KnownProtocols.Adm.Name;
        bool withImages = adm && GenMetrics.Checkpoints.NpzFile.ReadKeys(output).Contains(AdmReferenceStatistics.ImagesKey);
        var images = DistributionEvaluation.IsImageInput(args.Positionals[0]);
        context.WriteResult(Name, j =>
        {
            j.WriteString("output", output);
            if (stats.Count is long n) j.WriteNumber("n", n);
            j.WriteNumber("dims", stats.Dimension);
            j.WriteString("protocol", provenance.Protocol);
            if (adm) j.WriteBoolean("arr_0", withImages);
            j.WriteStartObject("settings");
            j.WriteString("protocol", provenance.Protocol);
            j.WriteNumber("dims", stats.Dimension);
            if (provenance.Layer.Length > 0) j.WriteString("layer", provenance.Layer);
            if (images && provenance.Weights.Length > 0) j.WriteString("weights_sha256", provenance.Weights);
            if (shard is not null) j.WriteString("shard", shard.ToString());
            j.WriteEndObject();
            ResultInput.WriteAll(j, [ResultInput.Of("input", args.Positionals[0], stats.Count)]);
        }, o =>
        {
            string detail = !adm ? "" : withImages ? "; ADM reference batch with arr_0, mu, sigma, mu_s, sigma_s" : "; mu, sigma, mu_s, sigma_s without arr_0 (the images differ in size)";
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}: n={stats.Count}, d={stats.Dimension}, protocol {provenance.Protocol}{detail}"));
        });
        return 0;
    }

    /// <summary>The statistics of one shard (the same cached feature path as the whole input) plus OUT.shard.json.</summary>
    private static GaussianStatistics WriteShard(string input, string output, EvaluationOptions options, ImageFeatureSettings images, ImageShard shard, StatsFileOptions fileOptions)
    {
        if (!DistributionEvaluation.IsImageInput(input)) throw new GenMetricsException($"{input}: --shard needs an image folder or .zip");
        using var whole = ImageSource.Open(input);
        var (start, end) = shard.Range(whole.Entries.Count);
        if (end - start < 2) throw new GenMetricsException($"{input}: shard {shard} has {end - start} images; statistics need at least 2, use fewer shards");
        var stats = DistributionEvaluation.WriteStatistics(input, output, options, images, shard: shard, fileOptions: fileOptions);
        new ShardInfo("stats", shard.Index, shard.Count, start, end, whole.Entries.Count, ShardSpec.Fingerprint(whole),
            stats.Provenance.Protocol, stats.Provenance.Layer, stats.Provenance.Weights).Write(output);
        return stats;
    }
}
