using System.Diagnostics;
using System.Globalization;
using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Benchmarks;

/// <summary>
/// SSIM on a 512×512 RGB pair (fixture pair 07), Gaussian (Wang) and uniform windows, plus MS-SSIM.
/// Reference figure: scikit-image 0.19 structural_similarity (Gaussian) ≈ 0.19 s per pair on the 2-core machine.
/// </summary>
internal sealed class SsimBenchmark : IBenchmark
{
    public string Name => "ssim";

    public string Description => "SSIM / MS-SSIM per 512x512 RGB pair (reference: scikit-image Gaussian SSIM ~0.19 s/pair)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        var reference = ImageDecoder.Decode(Path.Combine(options.FixturesRoot, "images", "pairs", "07_ref.png"));
        var distorted = ImageDecoder.Decode(Path.Combine(options.FixturesRoot, "images", "pairs", "07_dist.png"));
        Measure(output, "ssim gaussian", () => Ssim.Compute(reference, distorted, SsimWindow.Gaussian));
        Measure(output, "ssim uniform", () => Ssim.Compute(reference, distorted, SsimWindow.Uniform));
        Measure(output, "ms-ssim", () => MsSsim.Compute(reference, distorted));
    }

    internal static void Measure(TextWriter output, string label, Func<double> run)
    {
        for (int i = 0; i < 3; i++) run();
        var times = new List<double>();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuStart = process.TotalProcessorTime;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < 3 || times.Count < 10)
        {
            var sw = Stopwatch.StartNew();
            run();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        process.Refresh();
        double cpu = (process.TotalProcessorTime - cpuStart).TotalMilliseconds / times.Count;
        times.Sort();
        double median = times[times.Count / 2];
        // Wall-clock median and minimum (the minimum is the uncontended figure on a shared machine) and the CPU time
        // per pair summed over all threads.
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-16} median {median,8:F2} ms/pair  min {times[0],8:F2} ms  cpu {cpu,8:F2} ms  ({times.Count} runs, {1000 / median:F1} pairs/s)"));
    }
}
