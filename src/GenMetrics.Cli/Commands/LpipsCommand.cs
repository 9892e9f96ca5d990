using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics lpips REF DIST</c>: LPIPS v0.1 per pair and its mean, as PerceptualSimilarity computes it.</summary>
internal sealed class LpipsCommand : ICliCommand
{
    private const string Usage = "genmetrics lpips REF DIST [--net alex|vgg|squeeze] [--backbone-weights PATH] [--spatial-out DIR] [--batch-size N] [--threads N] [--device cpu|cuda] [--recursive] [--json] [--quiet]";

    public string Name => "lpips";

    public string Summary => "LPIPS v0.1 perceptual distance of image pairs (alex, vgg, squeeze trunks)";

    public string Help =>
        $"""
        usage: {Usage}

        REF and DIST are two image files, or two folders / .zip archives paired by relative path.
        The images of a pair must have the same size (no resize); LPIPS needs at least 31x31 (alex),
        16x16 (vgg) or 17x17 (squeeze) pixels.

          --net NAME               trunk: alex (default), vgg or squeeze
          --backbone-weights PATH  torchvision weights of the trunk (full checkpoint or features.* keys);
                                   default: the known torchvision file from the caches, else downloaded
          --spatial-out DIR        also write each pair's spatial map (HxW float32 .npy) under DIR
          --batch-size N           pairs of equal size per network run (default 16)
          --threads N              ONNX Runtime intra-op threads (default: all cores)
          --device cpu|cuda        execution provider (default cpu)
          --recursive              include sub-folders of REF and DIST
          --json                   print one JSON object (metric, value = mean, count, per_pair, settings)
        """;

    public CommandOptions Options { get; } = new(
        ["--net", "--backbone-weights", "--spatial-out", "--batch-size", "--threads", "--device"], ["--recursive"]);

    public int Run(CommandLineArguments args, CliContext context)
    {
        args.RequirePositionals(2, 2, Usage);
        string netName = args.GetChoice("--net", "alex", "alex", "vgg", "squeeze");
        var options = new LpipsOptions
        {
            Network = netName switch { "vgg" => LpipsNetwork.Vgg, "squeeze" => LpipsNetwork.Squeeze, _ => LpipsNetwork.Alex },
            BackboneWeightsPath = args.GetString("--backbone-weights"),
            BatchSize = args.GetInt("--batch-size", 16, min: 1),
            Threads = args.GetInt("--threads", 0, min: 0),
            Device = args.GetChoice("--device", "cpu", "cpu", "cuda") == "cuda" ? ComputeDevice.Cuda : ComputeDevice.Cpu,
        };
        string? spatialOut = args.GetString("--spatial-out");

        using var pairs = ImagePairs.Open(args.Positionals[0], args.Positionals[1], args.Has("--recursive"));
        IProgress<WorkProgress>? progress = context.CreateProgress();
        using var lpips = new Lpips(options, progress);
        if (spatialOut is not null) Directory.CreateDirectory(spatialOut);

        var values = new float[pairs.Count];
        for (int start = 0; start < pairs.Count; start += options.BatchSize)
        {
            int count = Math.Min(options.BatchSize, pairs.Count - start);
            var decoded = new (RgbImage Reference, RgbImage Distorted)[count];
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
                decoded[i] = (pairs[start + i].Reference.Decode(), pairs[start + i].Distorted.Decode()));
            for (int i = 0; i < count; i++)
            {
                lpips.CheckPair(decoded[i].Reference, decoded[i].Distorted, Describe(pairs[start + i]));
            }
            IReadOnlyList<LpipsDistance> results = lpips.Compute(decoded, spatial: spatialOut is not null);
            for (int i = 0; i < count; i++)
            {
                values[start + i] = results[i].Value;
                if (spatialOut is not null) WriteSpatialMap(spatialOut, pairs[start + i].Reference.RelativePath, results[i]);
            }
            progress?.Report(new WorkProgress($"lpips-{netName}", start + count, pairs.Count));
        }

        double mean = 0;
        foreach (float v in values) mean += v;
        mean /= values.Length;
        string weights = lpips.BackboneWeightsPath;
        if (args.Json)
        {
            JsonOutput.WriteObject(context.Out, w =>
            {
                w.WriteString("metric", "lpips");
                JsonOutput.WriteNumber(w, "value", mean);
                w.WriteNumber("count", values.Length);
                w.WriteString("net", netName);
                w.WriteString("version", "0.1");
                w.WriteString("backbone_weights", weights);
                w.WriteString("reference", args.Positionals[0]);
                w.WriteString("distorted", args.Positionals[1]);
                if (spatialOut is not null) w.WriteString("spatial_out", spatialOut);
                w.WriteStartArray("per_pair");
                for (int i = 0; i < values.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("ref", pairs[i].Reference.RelativePath);
                    w.WriteString("dist", pairs[i].Distorted.RelativePath);
                    JsonOutput.WriteNumber(w, "value", values[i]);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
        }
        else
        {
            for (int i = 0; i < values.Length; i++)
            {
                context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{pairs[i].Reference.RelativePath}\t{pairs[i].Distorted.RelativePath}\t{values[i]:R}"));
            }
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"LPIPS v0.1 ({netName}) mean over {values.Length} pair(s): {mean:R}"));
        }
        return 0;
    }

    private static string Describe((ImageEntry Reference, ImageEntry Distorted) pair) =>
        $"{pair.Reference.Location} / {pair.Distorted.Location}";

    /// <summary>Writes <c>DIR/&lt;ref relative path&gt;.npy</c> (H×W float32) through a temporary file and a rename.</summary>
    private static void WriteSpatialMap(string directory, string referenceRelativePath, LpipsDistance result)
    {
        string target = Path.Combine(directory, Path.ChangeExtension(referenceRelativePath, ".npy"));
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string temporary = target + ".tmp";
        try
        {
            NpyFile.Write(temporary, NpyArray.FromFloat32(result.SpatialMap, result.Height, result.Width));
            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
