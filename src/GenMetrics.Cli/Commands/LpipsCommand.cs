using System.CommandLine;
using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Cli.Reports;
using GenMetrics.Imaging;
using GenMetrics.Metrics;
using GenMetrics.Networks;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics lpips REF DIST</c>: LPIPS v0.1 per pair and their mean, as PerceptualSimilarity computes them.</summary>
internal sealed class LpipsCommand : ICliCommand
{
    private static readonly LpipsOptions Defaults = new();

    private static readonly Option<string> Net = OptionCatalog.Choices(new Option<string>("--net")
    {
        HelpName = "alex|vgg|squeeze",
        Description = "the trunk of LPIPS v0.1",
        DefaultValueFactory = _ => "alex",
    }, ["alex", "vgg", "squeeze"]);

    private static readonly Option<string?> BackboneWeights = new("--backbone-weights")
    {
        HelpName = "FILE",
        Description = "torchvision weights of the trunk (full checkpoint or features.* keys); default: the known torchvision file from the caches, else downloaded",
    };

    private static readonly Option<string?> SpatialOut = new("--spatial-out")
    {
        HelpName = "DIR",
        Description = "also write each pair's spatial map (H x W float32 .npy, named after REF) under DIR",
    };

    private static readonly Option<int> BatchSize = OptionCatalog.AtLeast(new Option<int>("--batch-size")
    {
        HelpName = "N",
        Description = "pairs of equal size per network run (results do not depend on it)",
        DefaultValueFactory = _ => Defaults.BatchSize,
    }, 1);

    private static string Minimum(LpipsTrunk trunk) => $"{trunk.MinimumInputSize}x{trunk.MinimumInputSize}";

    public string Name => "lpips";

    public string Summary =>
        "LPIPS v0.1 perceptual distance per pair and mean (alex, vgg, squeeze trunks). Images are not resized: both images of a pair " +
        $"have the same size, at least {Minimum(AlexNetFeatures.Instance)} (alex), {Minimum(Vgg16Features.Instance)} (vgg) or {Minimum(SqueezeNet11Features.Instance)} (squeeze)";

    public IReadOnlyList<Symbol> Symbols => [.. PairMetricVerb.Symbols(), Net, BackboneWeights, SpatialOut, BatchSize, OptionCatalog.Threads, OptionCatalog.Device];

    public int Run(CommandLineArguments args, CliContext context)
    {
        string net = OptionCatalog.Choice(args.Get(Net), ["alex", "vgg", "squeeze"]);
        DeviceChoice device = args.Get(OptionCatalog.Device);
        var options = new LpipsOptions
        {
            Network = net switch { "vgg" => LpipsNetwork.Vgg, "squeeze" => LpipsNetwork.Squeeze, _ => LpipsNetwork.Alex },
            BackboneWeightsPath = args.Get(BackboneWeights),
            BatchSize = args.Get(BatchSize),
            Threads = args.Get(OptionCatalog.Threads),
            Device = device.Device,
            DeviceId = device.DeviceId,
        };
        string? spatialOut = args.Get(SpatialOut);
        var report = ReportRequest.Read(args);

        using var pairs = PairMetricVerb.Open(args);
        var spatialTargets = new Dictionary<ImagePair, string>();
        if (spatialOut is not null)
        {
            if (File.Exists(spatialOut) || GenMetrics.Checkpoints.FileKindPolicy.NonRegularKind(spatialOut) is { } kind && kind != "folder")
            {
                throw new GenMetricsException($"{spatialOut}: --spatial-out must name a folder, and this is a file; pick a folder");
            }
            foreach (ImagePair pair in pairs.Pairs) spatialTargets[pair] = SpatialMapPath(spatialOut, pair.Reference);
        }
        IProgress<WorkProgress>? progress = pairs.Pairs.Count > 1 ? context.CreateProgress() : null;
        using var lpips = new Lpips(options, context.CreateProgress());
        var perPair = new List<(ImagePair Pair, double Value)>(pairs.Pairs.Count);
        var batch = new List<DecodedPair>(options.BatchSize);
        // Decoding runs ahead on two threads while the network works on the previous batch.
        foreach (DecodedPair decoded in pairs.DecodeInOrder(2, capacity: 2 * options.BatchSize))
        {
            lpips.CheckPair(decoded.Reference, decoded.Distorted, $"{decoded.Pair.Reference.Location} vs {decoded.Pair.Distorted.Location}");
            batch.Add(decoded);
            if (batch.Count == options.BatchSize) Flush();
        }
        Flush();

        var accumulator = new LpipsAccumulator(lpips);
        foreach (var (_, value) in perPair) accumulator.Add(value);
        double mean = accumulator.Compute();
        new PairMetricReport(Name, args.Positionals[0], args.Positionals[1], perPair, mean,
            [("mean_lpips", $"mean LPIPS v0.1 ({net}) over {perPair.Count} pair(s)", mean)],
            w =>
            {
                w.WriteString("net", net);
                w.WriteString("version", "0.1");
                w.WriteString("backbone_weights", lpips.BackboneWeightsPath);
                w.WriteNumber("batch_size", options.BatchSize);
                JsonOutput.WriteDevice(w, options.Device);
                if (spatialOut is not null) w.WriteString("spatial_out", spatialOut);
                w.WriteString("reference", "PerceptualSimilarity lpips.LPIPS(net, version='0.1') on im2tensor inputs");
            },
            v => v.ToString("F8", CultureInfo.InvariantCulture))
        {
            HigherIsWorse = true,
            // The worst pairs' maps: the same network on only the pairs the report shows (bounded work).
            SpatialMaps = shown => [.. lpips.Compute([.. shown.Select(p => (p.Reference, p.Distorted))], spatial: true).Select(d => d.SpatialMap!)],
        }.Write(context, report);
        return 0;

        void Flush()
        {
            if (batch.Count == 0) return;
            IReadOnlyList<LpipsDistance> results = lpips.Compute([.. batch.Select(b => (b.Reference, b.Distorted))], spatial: spatialOut is not null);
            for (int i = 0; i < batch.Count; i++)
            {
                perPair.Add((batch[i].Pair, results[i].Value));
                if (spatialOut is not null) WriteSpatialMap(spatialTargets[batch[i].Pair], results[i]);
            }
            batch.Clear();
            progress?.Report(new WorkProgress($"lpips {net}", perPair.Count, pairs.Pairs.Count));
        }
    }

    /// <summary>
    /// <c>DIR/&lt;REF relative path&gt;.npy</c>, refusing a relative path (e.g. a .zip member name) that is rooted,
    /// has a drive, a '..' segment, an empty segment or a control character, or that would resolve outside DIR.
    /// </summary>
    /// <exception cref="GenMetricsException">The name would write outside <paramref name="directory"/>.</exception>
    internal static string SpatialMapPath(string directory, ImageEntry reference)
    {
        string relative = reference.RelativePath;
        string[] segments = relative.Split('/', '\\');
        bool unsafeName = relative.Length == 0 || Path.IsPathRooted(relative) || relative.Contains(':', StringComparison.Ordinal)
            || segments.Any(s => s is "" or "." or "..") || relative.Any(char.IsControl);
        string root = Path.GetFullPath(directory);
        string target = Path.GetFullPath(Path.Combine(root, Path.ChangeExtension(string.Join('/', segments), ".npy")));
        string rootWithSeparator = Path.EndsInDirectorySeparator(root) ? root : root + Path.DirectorySeparatorChar;
        if (unsafeName || !target.StartsWith(rootWithSeparator, StringComparison.Ordinal))
        {
            throw new GenMetricsException($"{reference.Location}: the name would place its spatial map outside --spatial-out {directory}; rename the image or archive member to a plain relative path");
        }
        return target;
    }

    /// <summary>Writes the H×W float32 map to <paramref name="target"/>; <see cref="NpyFile.Write(string, NpyArray)"/> writes through a temporary file and a rename.</summary>
    private static void WriteSpatialMap(string target, LpipsDistance result)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        NpyFile.Write(target, NpyArray.FromFloat32(result.SpatialMap, result.Height, result.Width));
    }
}
