using System.Globalization;
using GenMetrics.Metrics;

namespace GenMetrics.Benchmarks;

/// <summary>KID with torch-fidelity's defaults: 100 subsets × 1000 from 5k vs 5k × 2048 features.</summary>
internal sealed class KidBenchmark : IBenchmark
{
    public string Name => "kid";

    public string Description => "KID, 100 subsets x 1000, 5000 vs 5000 x 2048 features";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        const int n = 5000, d = 2048;
        var real = Array.ConvertAll(BenchmarkMeasure.RandomFeatures(n, d, 1), v => (double)v);
        var fake = Array.ConvertAll(BenchmarkMeasure.RandomFeatures(n, d, 2), v => (double)v);
        KidResult? r = null;
        BenchmarkMeasure.Time(output, "KID 100 x 1000", () => r = Kid.Compute(fake, real, d), repeats: 1);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"KID = {r!.Mean} ± {r.Std}"));
    }
}
