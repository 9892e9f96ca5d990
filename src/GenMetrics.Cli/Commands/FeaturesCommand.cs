using System.CommandLine;
using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Networks;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics features PATH --out F.npy</c>: per-image FID Inception-v3 features as an N×d float32 .npy.</summary>
internal sealed class FeaturesCommand : ICliCommand
{
    private readonly Argument<string> _input = new("PATH") { Description = "an image file, a folder of images, a .zip archive (sorted by path) or an ADM batch (.npz with arr_0 uint8 N x H x W x 3; default protocol adm)" };
    private readonly Option<string> _out = OptionCatalog.Out("F.npy", "the features: a float32 array, one row per image (written atomically)");
    private readonly Option<string> _protocol = DistributionOptions.ProtocolFor(KnownProtocols.PytorchFid);

    private static readonly Option<string> Layer = OptionCatalog.Choices(new Option<string>("--layer")
    {
        HelpName = "NAME",
        Description = "pool3 (2048, default), logits, logits-unbiased (1008), 64, 192, 768, spatial (2023: ADM's sFID features, Mixed_6d.branch1x1[:7] in NHWC order)",
        DefaultValueFactory = _ => "pool3",
    }, OptionCatalog.LayerNames);

    public string Name => "features";

    public string Summary => "per-image FID Inception-v3 features (pool3, logits, 64/192/768, spatial) as an N x d float32 .npy";

    public IReadOnlyList<Symbol> Symbols =>
    [
        _input, _out, _protocol, Layer, OptionCatalog.Weights, OptionCatalog.BatchSize, OptionCatalog.Device, OptionCatalog.NumWorkers,
        OptionCatalog.Threads, OptionCatalog.Recursive, .. ShardSpec.Options,
    ];

    public int Run(CommandLineArguments args, CliContext context)
    {
        string output = args.Get(_out);
        if (!output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            throw new GenMetricsException($"{output}: --out must name a .npy file");
        }
        GenMetrics.Checkpoints.FileKindPolicy.RequireWritableOutput(output);
        bool admBatch = AdmBatchFile.IsBatch(args.Positionals[0]);
        string defaultProtocol = admBatch ? KnownProtocols.Adm.Name : KnownProtocols.PytorchFid.Name;
        string protocolName = args.IsGiven(_protocol) ? OptionCatalog.Choice(args.Get(_protocol), KnownProtocols.All.Select(p => p.Name)) : defaultProtocol;
        string layerName = OptionCatalog.Choice(args.Get(Layer), OptionCatalog.LayerNames);
        DeviceChoice device = args.Get(OptionCatalog.Device);
        FidInceptionLayer layer = FidInceptionLayerNames.Parse(layerName)!.Value;
        var options = new FeatureExtractorOptions
        {
            WeightsPath = args.Get(OptionCatalog.Weights),
            Protocol = KnownProtocols.Parse(protocolName),
            Layers = [layer],
            BatchSize = args.Get(OptionCatalog.BatchSize),
            Threads = args.Get(OptionCatalog.Threads),
            Device = device.Device,
            DeviceId = device.DeviceId,
            DecodeWorkers = args.Get(OptionCatalog.NumWorkers),
        };

        var shard = ShardSpec.Read(args);
        if (admBatch)
        {
            if (shard is not null) throw new GenMetricsException($"{args.Positionals[0]}: --shard needs an image folder or .zip, not an ADM batch (.npz)");
            var batch = AdmBatchFile.Open(args.Positionals[0]);
            using var batchExtractor = new FeatureExtractor(options, context.CreateProgress());
            return Report(args, context, output, options, layer, layerName, batchExtractor.Extract(batch.Images(), batch.Count, batch.Path));
        }
        using var whole = ImageSource.Open(args.Positionals[0], args.Get(OptionCatalog.Recursive));
        var (start, end) = shard?.Range(whole.Entries.Count) ?? (0, whole.Entries.Count);
        ImageSource source = shard?.Select(whole) ?? whole;
        IProgress<WorkProgress>? progress = context.CreateProgress();
        using var extractor = new FeatureExtractor(options, progress);
        FeatureSet set = extractor.Extract(source, progress);
        return Report(args, context, output, options, layer, layerName, set, shard is null ? null : () =>
            new ShardInfo("features", shard.Index, shard.Count, start, end, whole.Entries.Count, ShardSpec.Fingerprint(whole),
                set.Protocol, layerName, set.WeightsSha256).Write(output));
    }

    /// <summary>Writes the layer's matrix to <paramref name="output"/> (then <paramref name="afterWrite"/>) and prints what was written.</summary>
    private int Report(CommandLineArguments args, CliContext context, string output, FeatureExtractorOptions options, FidInceptionLayer layer, string layerName, FeatureSet set,
        Action? afterWrite = null)
    {
        FeatureMatrix matrix = set[layer];
        NpyFile.Write(output, NpyArray.FromFloat32(matrix.Values, matrix.Rows, matrix.Columns));
        afterWrite?.Invoke();
        context.WriteResult(Name, w =>
        {
            w.WriteString("input", args.Positionals[0]);
            w.WriteString("output", output);
            w.WriteNumber("images", matrix.Rows);
            w.WriteNumber("dimensions", matrix.Columns);
            w.WriteString("layer", layerName);
            w.WriteString("protocol", set.Protocol);
            w.WriteString("weights", set.WeightsPath);
            w.WriteString("weights_sha256", set.WeightsSha256);
            w.WriteStartObject("settings");
            w.WriteString("protocol", set.Protocol);
            w.WriteNumber("dims", matrix.Columns);
            w.WriteString("layer", layerName);
            w.WriteString("network", options.Protocol.DefaultWeights.Name);
            w.WriteString("weights_file", Path.GetFileName(set.WeightsPath));
            w.WriteString("weights_sha256", set.WeightsSha256);
            w.WriteNumber("batch_size", options.BatchSize);
            JsonOutput.WriteDevice(w, options.Device);
            w.WriteEndObject();
            ResultInput.WriteAll(w, [ResultInput.Of("input", args.Positionals[0], matrix.Rows)]);
        }, o => o.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"wrote {output}: {matrix.Rows} x {matrix.Columns} float32 ({layerName}), protocol {set.Protocol}, weights {Path.GetFileName(set.WeightsPath)} sha256 {set.WeightsSha256}")));
        return 0;
    }
}
