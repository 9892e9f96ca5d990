using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Networks;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics features PATH --out F.npy</c>: per-image FID Inception-v3 features as an N×d float32 .npy.</summary>
internal sealed class FeaturesCommand : ICliCommand
{
    private const string Usage = "genmetrics features PATH --out F.npy [--protocol NAME] [--layer pool3|logits|logits-unbiased|64|192|768|spatial] [--weights P] [--batch-size N] [--device cpu|cuda] [--threads N] [--recursive] [--shard I/N|auto [--shard-count N]] [--json] [--quiet]";

    public string Name => "features";

    public string Summary => "per-image FID Inception-v3 features (pool3, logits, 64/192/768) as an N x d float32 .npy";

    public string Help =>
        $"usage: {Usage}\n" +
        "  PATH                     an image file, a folder of images, a .zip archive (sorted by path) or an ADM batch\n" +
        "                           (.npz with arr_0 uint8 N x H x W x 3; default protocol adm)\n" +
        "  --out F.npy              output: float32 array, one row per image (written atomically)\n" +
        "  --protocol NAME          preprocessing of the reference tool (default pytorch-fid):\n" +
        string.Concat(KnownProtocols.All.Select(p => $"                             {p.Name}: {p.Description}\n")) +
        "  --layer NAME             pool3 (2048, default), logits, logits-unbiased (1008), 64, 192, 768,\n" +
        "                           spatial (2023: ADM's sFID features, Mixed_6d.branch1x1[:7] in NHWC order)\n" +
        "  --weights PATH           FID Inception weights (pt_inception-2015-12-05-6726825d.pth; for clean and\n" +
        "                           clean-legacy-tf NVIDIA's TorchScript inception-2015-12-05.pt);\n" +
        "                           default: the GenMetrics or torch.hub cache, else downloaded\n" +
        $"  --batch-size N           images per network call (default {FeatureExtractorOptions.DefaultBatchSize}; results do not depend on it)\n" +
        "  --threads N              network threads (default: all cores; results do not depend on it)\n" +
        "  --device cpu|cuda        execution provider (default cpu)\n" +
        "  --recursive              include sub-folders\n" + ShardSpec.HelpText.TrimEnd('\n');

    public CommandOptions Options { get; } = new(
        ["--out", "--protocol", "--layer", "--weights", "--batch-size", "--device", "--threads", "--shard", "--shard-count"], ["--recursive"]);

    public int Run(CommandLineArguments args, CliContext context)
    {
        args.RequirePositionals(1, 1, Usage);
        string output = args.GetString("--out") ?? throw new GenMetricsException($"option --out is required; usage: {Usage}");
        if (!output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            throw new GenMetricsException($"{output}: --out must name a .npy file");
        }
        GenMetrics.Checkpoints.FileKindPolicy.RequireWritableOutput(output);
        bool admBatch = AdmBatchFile.IsBatch(args.Positionals[0]);
        string defaultProtocol = admBatch ? KnownProtocols.Adm.Name : KnownProtocols.PytorchFid.Name;
        string protocolName = args.GetChoice("--protocol", defaultProtocol, KnownProtocols.All.Select(p => p.Name).ToArray());
        string layerName = args.GetChoice("--layer", "pool3", FidInceptionLayerNames.All.Select(l => l.Name).ToArray());
        FidInceptionLayer layer = FidInceptionLayerNames.Parse(layerName)!.Value;
        var options = new FeatureExtractorOptions
        {
            WeightsPath = args.GetString("--weights"),
            Protocol = KnownProtocols.Parse(protocolName),
            Layers = [layer],
            BatchSize = args.GetInt("--batch-size", FeatureExtractorOptions.DefaultBatchSize, min: 1),
            Threads = args.GetThreads(),
            Device = args.GetChoice("--device", "cpu", "cpu", "cuda") == "cuda" ? ComputeDevice.Cuda : ComputeDevice.Cpu,
        };

        var shard = ShardSpec.Read(args);
        if (admBatch)
        {
            if (shard is not null) throw new GenMetricsException($"{args.Positionals[0]}: --shard needs an image folder or .zip, not an ADM batch (.npz)");
            var batch = AdmBatchFile.Open(args.Positionals[0]);
            using var batchExtractor = new FeatureExtractor(options, context.CreateProgress());
            return Report(args, context, output, layer, layerName, batchExtractor.Extract(batch.Images(), batch.Count, batch.Path));
        }
        using var whole = ImageSource.Open(args.Positionals[0], args.Has("--recursive"));
        var (start, end) = shard?.Range(whole.Entries.Count) ?? (0, whole.Entries.Count);
        ImageSource source = shard?.Select(whole) ?? whole;
        IProgress<WorkProgress>? progress = context.CreateProgress();
        using var extractor = new FeatureExtractor(options, progress);
        FeatureSet set = extractor.Extract(source, progress);
        return Report(args, context, output, layer, layerName, set, shard is null ? null : () =>
            new ShardInfo("features", shard.Index, shard.Count, start, end, whole.Entries.Count, ShardSpec.Fingerprint(whole),
                set.Protocol, layerName, set.WeightsSha256).Write(output));
    }

    /// <summary>Writes the layer's matrix to <paramref name="output"/> (then <paramref name="afterWrite"/>) and prints what was written.</summary>
    private int Report(CommandLineArguments args, CliContext context, string output, FidInceptionLayer layer, string layerName, FeatureSet set,
        Action? afterWrite = null)
    {
        FeatureMatrix matrix = set[layer];
        NpyFile.Write(output, NpyArray.FromFloat32(matrix.Values, matrix.Rows, matrix.Columns));
        afterWrite?.Invoke();
        if (args.Json)
        {
            JsonOutput.WriteObject(context.Out, w =>
            {
                w.WriteString("command", Name);
                w.WriteString("input", args.Positionals[0]);
                w.WriteString("output", output);
                w.WriteNumber("images", matrix.Rows);
                w.WriteNumber("dimensions", matrix.Columns);
                w.WriteString("layer", layerName);
                w.WriteString("protocol", set.Protocol);
                w.WriteString("weights", set.WeightsPath);
                w.WriteString("weights_sha256", set.WeightsSha256);
            });
        }
        else
        {
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {output}: {matrix.Rows} x {matrix.Columns} float32 ({layerName}), protocol {set.Protocol}, weights {Path.GetFileName(set.WeightsPath)} sha256 {set.WeightsSha256}"));
        }
        return 0;
    }
}
