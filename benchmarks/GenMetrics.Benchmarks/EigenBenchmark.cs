using GenMetrics.Numerics;

namespace GenMetrics.Benchmarks;

/// <summary>The dense float64 kernels behind FID at 2048: pivoted Cholesky, products, symmetric eigenvalues.</summary>
internal sealed class EigenBenchmark : IBenchmark
{
    public string Name => "kernels";

    public string Description => "2048x2048 float64 kernels: GEMM, pivoted Cholesky, symmetric eigenvalues";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        const int n = 2048;
        var x = BenchmarkMeasure.RandomFeatures(n + 64, n, 3);
        var xd = Array.ConvertAll(x, v => (double)v);
        var spd = new double[n * n];
        MatrixProduct.MultiplyAdd(xd, 0, n, true, xd, 0, n, false, spd, 0, n, n, n, n + 64, maxThreads: options.Threads);
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) spd[i * n + j] = spd[j * n + i];
        BenchmarkMeasure.Time(output, "GEMM 2048^3", () =>
        {
            var c = new double[n * n];
            MatrixProduct.MultiplyAdd(spd, 0, n, false, spd, 0, n, false, c, 0, n, n, n, n, maxThreads: options.Threads);
        }, repeats: 2);
        var touched = new double[n * n];
        BenchmarkMeasure.Time(output, "GEMM 2048^3 into a C already in memory", () =>
            MatrixProduct.MultiplyAdd(spd, 0, n, false, spd, 0, n, false, touched, 0, n, n, n, n, maxThreads: options.Threads), repeats: 3);
        BenchmarkMeasure.Time(output, "pivoted Cholesky 2048", () => PivotedCholesky.Decompose((double[])spd.Clone(), n, options.Threads), repeats: 2);
        BenchmarkMeasure.Time(output, "unpivoted Cholesky 2048", () => PivotedCholesky.Decompose((double[])spd.Clone(), n, options.Threads, pivot: false), repeats: 2);
        BenchmarkMeasure.Time(output, "symmetric eigenvalues 2048", () => SymmetricEigenvalues.ComputeInPlace((double[])spd.Clone(), n, options.Threads), repeats: 2);
    }
}
