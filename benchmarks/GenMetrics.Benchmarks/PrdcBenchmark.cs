using System.Globalization;
using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Benchmarks;

/// <summary>Precision/recall + density/coverage on 5k vs 5k × 2048 features, one distance pass per set pair.</summary>
internal sealed class PrdcBenchmark : IBenchmark
{
    public string Name => "prdc";

    public string Description => "precision/recall (k=3) and density/coverage (k=5), 5000 vs 5000 x 2048 (prdc package: minutes here)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        const int n = 5000, d = 2048;
        var real = MetricInput.FromFeatures("real", ToDouble(BenchmarkMeasure.RandomFeatures(n, d, 1)), n, d);
        var fake = MetricInput.FromFeatures("fake", ToDouble(BenchmarkMeasure.RandomFeatures(n, d, 2)), n, d);
        var opts = new EvaluationOptions { MaxThreads = options.Threads };
        EvaluationResult? result = null;
        BenchmarkMeasure.Time(output, "PR k=3 + DC k=5, 5k x 5k x 2048", () =>
            result = DistributionEvaluation.Evaluate(real, fake, DistributionMetrics.Prdc, opts), repeats: 2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"precision {result!.PrecisionRecall!.Precision}, recall {result.PrecisionRecall.Recall}, density {result.DensityCoverage!.Density}, coverage {result.DensityCoverage.Coverage}"));
        // What eval --report adds to the same pass: 3 nearest real samples and the manifold ratio per fake sample.
        var withNeighbours = opts with { NearestRealNeighbours = 3 };
        BenchmarkMeasure.Time(output, "PR k=3 + DC k=5 + 3 nearest reals per fake (eval --report), 5k x 5k x 2048", () =>
            result = DistributionEvaluation.Evaluate(real, fake, DistributionMetrics.Prdc, withNeighbours), repeats: 2);
    }

    private static double[] ToDouble(float[] x) => Array.ConvertAll(x, v => (double)v);
}
