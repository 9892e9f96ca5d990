namespace GenMetrics.Benchmarks;

/// <summary>Precision/recall + density/coverage on 5k vs 5k × 2048 features.</summary>
internal sealed class PrdcBenchmark : IBenchmark
{
    public string Name => "prdc";

    public string Description => "precision/recall (k=3) and density/coverage (k=5), 5000 vs 5000 x 2048 (prdc package: minutes here)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        output.WriteLine("not implemented yet");
    }
}
