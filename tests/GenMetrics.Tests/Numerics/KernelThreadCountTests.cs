using GenMetrics.Numerics;

namespace GenMetrics.Tests.Numerics;

/// <summary>
/// The dense kernels split only output work between threads, in a fixed order: 1 and 2 threads give the same bits
/// (sizes with several tiles, panels and row chunks, and ragged edges).
/// </summary>
public sealed class KernelThreadCountTests
{
    [Theory]
    [InlineData(301, 203, 517, false, false)]
    [InlineData(250, 250, 300, true, false)]
    public void ProductIsBitIdenticalForOneAndTwoThreads(int m, int n, int k, bool transA, bool upperOnly)
    {
        var a = RandomMatrix.Uniform(m * k, 1);
        var b = RandomMatrix.Uniform(k * n, 2);
        var one = new double[m * n];
        var two = new double[m * n];
        MatrixProduct.MultiplyAdd(a, 0, transA ? m : k, transA, b, 0, n, false, one, 0, n, m, n, k, upperOnly, maxThreads: 1);
        MatrixProduct.MultiplyAdd(a, 0, transA ? m : k, transA, b, 0, n, false, two, 0, n, m, n, k, upperOnly, maxThreads: 2);
        Assert.Equal(one, two);
    }

    [Fact]
    public void PermutedAndInPlaceProductsAreBitIdenticalForOneAndTwoThreads()
    {
        // FrechetDistance's full-rank path: W = U·PΣPᵀ (Σ permuted while packed), then M = W·Uᵀ over W.
        const int n = 517;
        var g = RandomMatrix.Uniform(n * n, 4);
        var spd = new double[n * n];
        MatrixProduct.MultiplyAdd(g, 0, n, true, g, 0, n, false, spd, 0, n, n, n, n);
        var factor = PivotedCholesky.Decompose((double[])spd.Clone(), n, maxThreads: 1);
        var sigma = RandomMatrix.Uniform(n * n, 5);
        double[] Run(int threads)
        {
            var w = new double[n * n];
            MatrixProduct.MultiplyAdd(factor.U, 0, n, false, sigma, 0, n, false, w, 0, n, n, n, n, maxThreads: threads,
                structure: MatrixProduct.TriangularStructure.AUpper, bPermutation: factor.Permutation);
            MatrixProduct.MultiplyAdd(w, 0, n, false, factor.U, 0, n, true, w, 0, n, n, n, n, upperOnly: true, maxThreads: threads,
                structure: MatrixProduct.TriangularStructure.BLower, cReplacesA: true);
            return w;
        }
        Assert.Equal(Run(1), Run(2));
    }

    [Theory]
    [InlineData(600)]
    [InlineData(383)]
    public void TridiagonalisationIsBitIdenticalForOneAndTwoThreads(int n)
    {
        var g = RandomMatrix.Uniform(n * n, 3);
        var a = new double[n * n];
        MatrixProduct.MultiplyAdd(g, 0, n, false, g, 0, n, true, a, 0, n, n, n, n);
        var d1 = new double[n];
        var e1 = new double[n];
        var d2 = new double[n];
        var e2 = new double[n];
        SymmetricEigenvalues.Tridiagonalize((double[])a.Clone(), n, d1, e1, maxThreads: 1);
        SymmetricEigenvalues.Tridiagonalize((double[])a.Clone(), n, d2, e2, maxThreads: 2);
        Assert.Equal(d1, d2);
        Assert.Equal(e1, e2);
        // And the trace is preserved by the orthogonal reduction (a check that the reduction did something sane).
        double trace = 0;
        for (int i = 0; i < n; i++) trace += a[i * n + i];
        // Tier: float64 sums of n ≈ 600 terms of size ≈ n/3: 1e-10 relative.
        Tolerance.Close(trace, d1.Sum(), 0, 1e-10, "trace of T");
    }
}
