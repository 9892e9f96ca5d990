using GenMetrics.Metrics;
using GenMetrics.Numerics;
using GenMetrics.Statistics;

namespace GenMetrics.Tests.Numerics;

/// <summary>
/// The two products of the Fréchet distance without work copies: W = U·PΣPᵀ with Σ read in the permuted order while it
/// is packed, and M = W·Uᵀ written over W. Both must give exactly the bits of the copying versions (a permuted copy of
/// Σ; a separate zeroed M), for 1 and 2 threads, at sizes with several k-blocks (256), row tiles (96) and ragged edges.
/// </summary>
public sealed class FrechetProductTests
{
    /// <summary>A random symmetric positive definite n×n matrix GᵀG/n and the pivoted Cholesky factor of another.</summary>
    private static (double[] Sigma, PivotedCholesky.Factor Factor) Inputs(int n)
    {
        var g = RandomMatrix.Uniform(n * n, 21);
        var sigma = new double[n * n];
        MatrixProduct.MultiplyAdd(g, 0, n, true, g, 0, n, false, sigma, 0, n, n, n, n);
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) sigma[i * n + j] = sigma[j * n + i];
        var h = RandomMatrix.Uniform(n * n, 22);
        var other = new double[n * n];
        MatrixProduct.MultiplyAdd(h, 0, n, true, h, 0, n, false, other, 0, n, n, n, n);
        var factor = PivotedCholesky.Decompose(other, n);
        Assert.Equal(n, factor.Rank);
        return (sigma, factor);
    }

    /// <summary>W and the upper triangle of M the copying way: PΣPᵀ copied, M in its own zeroed array.</summary>
    private static (double[] W, double[] M) WithCopies(double[] sigma, PivotedCholesky.Factor f, int n, int threads)
    {
        var perm = f.Permutation;
        var permuted = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) permuted[i * n + j] = sigma[perm[i] * n + perm[j]];
        var w = new double[n * n];
        MatrixProduct.MultiplyAdd(f.U, 0, n, false, permuted, 0, n, false, w, 0, n, n, n, n, maxThreads: threads,
            structure: MatrixProduct.TriangularStructure.AUpper);
        var m = new double[n * n];
        MatrixProduct.MultiplyAdd(w, 0, n, false, f.U, 0, n, true, m, 0, n, n, n, n, upperOnly: true, maxThreads: threads,
            structure: MatrixProduct.TriangularStructure.BLower);
        return (w, m);
    }

    /// <summary>The same without copies: permuted packing of Σ, then M over W (the product's default strip width unless given).</summary>
    private static (double[] W, double[] M) WithoutCopies(double[] sigma, PivotedCholesky.Factor f, int n, int threads, int stripWidth = 0)
    {
        var w = new double[n * n];
        MatrixProduct.MultiplyAdd(f.U, 0, n, false, sigma, 0, n, false, w, 0, n, n, n, n, maxThreads: threads,
            structure: MatrixProduct.TriangularStructure.AUpper, bPermutation: f.Permutation, stripWidth: stripWidth);
        var wCopy = (double[])w.Clone();
        MatrixProduct.MultiplyAdd(w, 0, n, false, f.U, 0, n, true, w, 0, n, n, n, n, upperOnly: true, maxThreads: threads,
            structure: MatrixProduct.TriangularStructure.BLower, cReplacesA: true, stripWidth: stripWidth);
        return (wCopy, w);
    }

    private static double[] Upper(double[] a, int n)
    {
        var u = new double[n * (n + 1) / 2];
        int t = 0;
        for (int i = 0; i < n; i++) for (int j = i; j < n; j++) u[t++] = a[i * n + j];
        return u;
    }

    [Theory]
    [InlineData(517, 1)]
    [InlineData(300, 2)]
    public void ProductsWithoutCopiesGiveTheSameBitsWithBothStripWidths(int n, int threads)
    {
        // The 6×8 Vector256 and 6×16 Vector512 micro-kernels (see MatrixProductStripWidthTests), on the Fréchet path.
        var (sigma, factor) = Inputs(n);
        var (w8, m8) = WithoutCopies(sigma, factor, n, threads, stripWidth: 8);
        var (w16, m16) = WithoutCopies(sigma, factor, n, threads, stripWidth: 16);
        Assert.Equal(w8, w16);
        Assert.Equal(Upper(m8, n), Upper(m16, n));
    }

    [Theory]
    [InlineData(600, 1)]
    [InlineData(600, 2)]
    [InlineData(389, 2)]
    public void ProductsWithoutCopiesAreBitIdenticalToTheCopies(int n, int threads)
    {
        var (sigma, factor) = Inputs(n);
        var (w1, m1) = WithCopies(sigma, factor, n, threads);
        var (w2, m2) = WithoutCopies(sigma, factor, n, threads);
        Assert.Equal(w1, w2);
        Assert.Equal(Upper(m1, n), Upper(m2, n));
        // And M is U·PΣPᵀ·Uᵀ (a check that the copying reference itself is the intended product), entry (0, n−1).
        var perm = factor.Permutation;
        double expected = 0;
        for (int p = 0; p < n; p++)
        {
            for (int q = n - 1; q < n; q++)
            {
                // Row n−1 of U has only its last entry.
                double uq = factor.U[(n - 1) * n + q];
                double up = factor.U[p];
                expected += up * sigma[perm[p] * n + perm[q]] * uq;
            }
        }
        // Tier: a length-n float64 dot product of terms ≤ ~n in size, summed in another order: 1e-9 relative.
        Tolerance.Close(expected, m1[n - 1], 0, 1e-9, "M[0, n-1]");
    }

    [Fact]
    public void FidWithASpareWorkMatrixIsBitIdentical()
    {
        // The CLI hands Σ2's validation factor to FID as its work matrix; the result must not depend on it, and a
        // buffer that is Σ1's own factor is not used (it is still being read).
        const int d = 300, n = 700;
        GaussianStatistics Stats(int seed)
        {
            var acc = new FeatureStatistics(d);
            acc.Add(RandomMatrix.Uniform(n * d, seed));
            return GaussianStatistics.From(acc, new StatsProvenance("pytorch-fid", "test", "300"));
        }
        var a = Stats(31);
        var b = Stats(32);
        var factor = PivotedCholesky.Decompose((double[])a.Covariance.Clone(), d);
        var plain = Fid.Compute(a, b);
        var garbage = RandomMatrix.Uniform(d * d, 33);
        var withWorkspace = Fid.Compute(a, b, GenMetrics.Features.KnownProtocols.PytorchFid, -1, factor, garbage);
        var factorAgain = PivotedCholesky.Decompose((double[])a.Covariance.Clone(), d);
        var aliased = Fid.Compute(a, b, GenMetrics.Features.KnownProtocols.PytorchFid, -1, factorAgain, factorAgain.U);
        Assert.Equal(d, plain.Rank);
        Assert.Equal(plain.Value, withWorkspace.Value);
        Assert.Equal(plain.Value, aliased.Value);
    }

    [Fact]
    public void InPlaceProductRefusesOperandsItCannotOverwrite()
    {
        var a = new double[16];
        var b = new double[16];
        Assert.Throws<ArgumentException>(() => MatrixProduct.MultiplyAdd(a, 0, 4, false, b, 0, 4, true, new double[16], 0, 4, 4, 4, 4,
            structure: MatrixProduct.TriangularStructure.BLower, cReplacesA: true));
        Assert.Throws<ArgumentException>(() => MatrixProduct.MultiplyAdd(a, 0, 4, false, b, 0, 4, true, a, 0, 4, 4, 4, 4,
            cReplacesA: true));
        Assert.Throws<ArgumentException>(() => MatrixProduct.MultiplyAdd(a, 0, 4, false, b, 0, 4, true, a, 0, 4, 4, 4, 4,
            bPermutation: [0, 1, 2, 3]));
    }
}
