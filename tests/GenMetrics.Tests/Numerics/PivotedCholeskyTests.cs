using GenMetrics.Numerics;

namespace GenMetrics.Tests.Numerics;

/// <summary>The blocked pivoted Cholesky over several panels (64 rows each): rank, reconstruction, thread count.</summary>
public sealed class PivotedCholeskyTests
{
    /// <summary>A = G·Gᵀ with G n×r of values in [−1, 1): rank r, positive semi-definite.</summary>
    private static double[] Gram(int n, int r, int seed)
    {
        var rng = new Random(seed);
        var g = new double[n * r];
        for (int i = 0; i < g.Length; i++) g[i] = rng.NextDouble() * 2 - 1;
        var a = new double[n * n];
        MatrixProduct.MultiplyAdd(g, 0, r, false, g, 0, r, true, a, 0, n, n, n, r);
        return a;
    }

    [Theory]
    [InlineData(300, 300)]
    [InlineData(300, 150)]
    [InlineData(200, 64)]
    [InlineData(130, 129)]
    public void FindsRankAndReconstructsThePermutedMatrix(int n, int r)
    {
        var a = Gram(n, r, 7);
        var original = (double[])a.Clone();
        var f = PivotedCholesky.Decompose(a, n);
        Assert.Equal(r, f.Rank);
        Assert.Equal(Enumerable.Range(0, n), f.Permutation.Order());
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < f.Rank; p++) s += f.U[p * n + i] * f.U[p * n + j];
                worst = Math.Max(worst, Math.Abs(original[f.Permutation[i] * n + f.Permutation[j]] - s));
            }
        }
        // Tier: Cholesky backward error ~ n·ε·max diag (max diag ≤ r/3·3 ≈ r): 1e-12·r absolute.
        Tolerance.Close(0, worst, 1e-12 * r, 0, $"max |PAPᵀ − UᵀU| n={n} r={r}");
        for (int i = 1; i < f.Rank; i++)
        {
            for (int j = 0; j < i; j++) Assert.Equal(0.0, f.U[i * n + j]);
        }
    }

    [Theory]
    [InlineData(300, 300)]
    [InlineData(257, 100)]
    public void FactorIsBitIdenticalForOneAndTwoThreads(int n, int r)
    {
        var a = Gram(n, r, 9);
        var one = PivotedCholesky.Decompose((double[])a.Clone(), n, maxThreads: 1);
        var two = PivotedCholesky.Decompose((double[])a.Clone(), n, maxThreads: 2);
        Assert.Equal(one.Rank, two.Rank);
        Assert.Equal(one.Permutation, two.Permutation);
        Assert.Equal(one.U.AsSpan(0, one.Rank * n).ToArray(), two.U.AsSpan(0, two.Rank * n).ToArray());
    }

    [Fact]
    public void UnpivotedFactorKeepsTheOrderAndReconstructs()
    {
        int n = 200;
        var a = Gram(n, n, 11);
        var original = (double[])a.Clone();
        var f = PivotedCholesky.Decompose(a, n, pivot: false);
        Assert.Equal(n, f.Rank);
        Assert.Equal(Enumerable.Range(0, n), f.Permutation);
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            for (int j = i; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p <= i; p++) s += f.U[p * n + i] * f.U[p * n + j];
                worst = Math.Max(worst, Math.Abs(original[i * n + j] - s));
            }
        }
        // Tier: Cholesky backward error ~ n·ε·max diag: 1e-12·n absolute, as above.
        Tolerance.Close(0, worst, 1e-12 * n, 0, "max |A − UᵀU| unpivoted");
    }
}
