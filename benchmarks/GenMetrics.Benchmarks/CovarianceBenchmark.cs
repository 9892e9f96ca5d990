using GenMetrics.Statistics;

namespace GenMetrics.Benchmarks;

/// <summary>Streaming covariance accumulation of 50k × 2048 float32 features.</summary>
internal sealed class CovarianceBenchmark : IBenchmark
{
    public string Name => "covariance";

    public string Description => "FeatureStatistics over 50,000 x 2048 float32 features (n, Σx, ΣxxT in float64)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        const int d = 2048, rows = 50_000, chunk = 1000;
        var block = BenchmarkMeasure.RandomFeatures(chunk, d, 5);
        BenchmarkMeasure.Time(output, "accumulate 50k x 2048 + covariance", () =>
        {
            var acc = new FeatureStatistics(d);
            for (int r = 0; r < rows; r += chunk) acc.Add(block);
            _ = acc.Covariance();
        }, repeats: 1);
    }
}
