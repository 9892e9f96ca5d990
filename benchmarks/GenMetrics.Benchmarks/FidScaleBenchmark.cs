using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using GenMetrics.Features;
using GenMetrics.Imaging;

namespace GenMetrics.Benchmarks;

/// <summary>
/// Issue 8's scale check: whole <c>genmetrics fid FOLDER set_b</c> processes on folders of N 256×256 PNGs (N from
/// <c>GENMETRICS_BENCH_IMAGES</c>, default "2000,20000"; the 64 set_a PNGs hard-linked under N names), timed
/// with <c>/usr/bin/time</c> for wall clock and peak RSS, next to the network alone on prepared inputs measured
/// just before and just after in the same process (end-to-end must reach ≥ 90 % of it; peak RSS must not grow
/// with N). The feature cache is bypassed so every image goes through decode, resize and the network.
/// </summary>
internal sealed partial class FidScaleBenchmark : IBenchmark
{
    public string Name => "fid-scale";

    public string Description => "whole 'fid FOLDER set_b' process at N 256x256 PNGs: wall, images/s vs the network alone, peak RSS";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        string weights = Path.Combine(options.FixturesRoot, "weights", "fid_inception.pth");
        string setA = Path.Combine(options.FixturesRoot, "images", "set_a");
        string setB = Path.Combine(options.FixturesRoot, "images", "set_b");
        string cli = TimedCliProcess.CliPath();
        string counts = Environment.GetEnvironmentVariable("GENMETRICS_BENCH_IMAGES") ?? "2000,20000";
        string[] sources = Directory.GetFiles(setA, "*.png").Order(StringComparer.Ordinal).ToArray();
        foreach (string text in counts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int n = int.Parse(text, CultureInfo.InvariantCulture);
            string folder = Directory.CreateTempSubdirectory("genmetrics-fid-scale-").FullName;
            try
            {
                for (int i = 0; i < n; i++)
                {
                    string target = Path.Combine(folder, $"img_{i:D6}.png");
                    if (Link(sources[i % sources.Length], target) != 0) File.Copy(sources[i % sources.Length], target);
                }
                double before = NetworkOnly(weights, setA, options.Threads);
                var (wall, peakKb, stdout) = TimedCliProcess.Run(cli, ["fid", setB, folder, "--weights", weights, "--no-cache", "--quiet"], options.Threads);
                double after = NetworkOnly(weights, setA, options.Threads);
                double network = (before + after) / 2;
                double endToEnd = (n + 64) / wall;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"N = {n}: whole process {wall:F1} s wall = {endToEnd:F2} images/s ({n} + 64 images, start-up included); network alone {before:F2} before, {after:F2} after -> end to end {100 * endToEnd / network:F1} % of the network; peak RSS {peakKb / 1024.0:F0} MB; {stdout.Trim()}"));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>Images/s of the network alone: 96 prepared inputs at the default batch size (as the CLI), after a warm-up pass.</summary>
    private static double NetworkOnly(string weights, string folder, int threads)
    {
        using var extractor = new FeatureExtractor(new FeatureExtractorOptions { WeightsPath = weights, Threads = threads, Layers = [Networks.FidInceptionLayer.Pool3] });
        using var source = ImageSource.Open(folder);
        var inputs = source.Entries.Take(32).Select(e =>
        {
            RgbImage image = e.Decode();
            var input = new float[3 * 299 * 299];
            KnownProtocols.PytorchFid.Prepare(image.Pixels, image.Width, image.Height, input);
            return input;
        }).ToList();
        extractor.ExtractPrepared(inputs);
        var all = Enumerable.Repeat(inputs, 3).SelectMany(x => x).ToList();
        var timer = Stopwatch.StartNew();
        extractor.ExtractPrepared(all);
        return all.Count / timer.Elapsed.TotalSeconds;
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string created);
}
