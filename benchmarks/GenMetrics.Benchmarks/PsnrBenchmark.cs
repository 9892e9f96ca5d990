using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Benchmarks;

/// <summary>PSNR on a 512×512 RGB pair (fixture pair 07), and decode + PSNR of the pair from disk.</summary>
internal sealed class PsnrBenchmark : IBenchmark
{
    public string Name => "psnr";

    public string Description => "PSNR per 512x512 RGB pair, in memory and including PNG decode of both files";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        string refPath = Path.Combine(options.FixturesRoot, "images", "pairs", "07_ref.png");
        string distPath = Path.Combine(options.FixturesRoot, "images", "pairs", "07_dist.png");
        var reference = ImageDecoder.Decode(refPath);
        var distorted = ImageDecoder.Decode(distPath);
        SsimBenchmark.Measure(output, "psnr", () => Psnr.Compute(reference, distorted));
        SsimBenchmark.Measure(output, "decode+psnr", () => Psnr.Compute(ImageDecoder.Decode(refPath), ImageDecoder.Decode(distPath)));
    }
}
