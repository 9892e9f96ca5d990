using GenMetrics.Numerics;

namespace GenMetrics.Tests.Numerics;

public sealed class MatrixKernelTests
{
    [Theory]
    [InlineData(1, 1, 1, false, false)]
    [InlineData(7, 9, 5, false, true)]
    [InlineData(13, 17, 300, true, false)]
    [InlineData(100, 33, 257, true, true)]
    [InlineData(200, 8, 3, false, false)]
    public void ProductEqualsScalarReference(int m, int n, int k, bool transA, bool transB)
    {
        var a = RandomMatrix.Uniform(m * k, 1);
        var b = RandomMatrix.Uniform(k * n, 2);
        var c = RandomMatrix.Uniform(m * n, 3);
        var expected = (double[])c.Clone();
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = transA ? a[p * m + i] : a[i * k + p];
                    double bv = transB ? b[j * k + p] : b[p * n + j];
                    s += av * bv;
                }
                expected[i * n + j] += s;
            }
        }
        MatrixProduct.MultiplyAdd(a, 0, transA ? m : k, transA, b, 0, transB ? k : n, transB, c, 0, n, m, n, k);
        // Tier: same products, different (blocked, FMA) summation order: 1e-13 absolute for |terms| ≤ 1, k ≤ 300.
        Tolerance.AllClose(expected, c, 1e-12, 0, "gemm");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(50)]
    [InlineData(260)]
    public void EigenvaluesOfKnownSpectrum(int n)
    {
        // A = Q·diag(λ)·Qᵀ with Q a product of Householder reflections: eigenvalues known exactly.
        var lambda = Enumerable.Range(0, n).Select(i => (i % 3 == 0 ? -1.0 : 1.0) * (i + 1) / 7.0).ToArray();
        var q = RandomMatrix.Uniform(n, 11);
        double norm = Math.Sqrt(q.Sum(v => v * v));
        for (int i = 0; i < n; i++) q[i] /= norm;
        var a = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                // (I − 2qqᵀ) diag(λ) (I − 2qqᵀ)
                double s = 0;
                for (int t = 0; t < n; t++)
                {
                    double hit = (i == t ? 1 : 0) - 2 * q[i] * q[t];
                    double hjt = (j == t ? 1 : 0) - 2 * q[j] * q[t];
                    s += hit * lambda[t] * hjt;
                }
                a[i * n + j] = s;
            }
        }
        var eig = SymmetricEigenvalues.ComputeInPlace(a, n);
        var expected = lambda.OrderBy(v => v).ToArray();
        // Tier: backward-stable reduction, errors ~ n·ε·‖A‖ (‖A‖ ≤ 38): 1e-11 absolute.
        Tolerance.AllClose(expected, eig, 1e-11, 0, "eigenvalues");
    }

    [Theory]
    [InlineData(600, 12)]
    [InlineData(2048, 12)]
    public void EigenvaluesOfLowRankCovarianceConverge(int n, int samples)
    {
        // The covariance of fewer samples than dimensions (a 13-image stats file): n − samples + 1 eigenvalues are
        // zero in exact arithmetic, and the QL iteration must deflate between them instead of giving up.
        var x = RandomMatrix.Uniform(samples * n, 21);
        for (int c = 0; c < n; c++)
        {
            double mean = 0;
            for (int r = 0; r < samples; r++) mean += x[r * n + c];
            mean /= samples;
            for (int r = 0; r < samples; r++) x[r * n + c] -= mean;
        }
        var cov = new double[n * n];
        MatrixProduct.MultiplyAdd(x, 0, n, true, x, 0, n, false, cov, 0, n, n, n, samples);
        var gram = new double[samples * samples];
        MatrixProduct.MultiplyAdd(x, 0, n, false, x, 0, n, true, gram, 0, samples, samples, samples, n);
        var eig = SymmetricEigenvalues.ComputeInPlace(cov, n);
        var nonzero = SymmetricEigenvalues.ComputeInPlace(gram, samples); // XᵀX and XXᵀ share their nonzero spectrum
        double largest = nonzero[^1];
        // Tier: backward-stable reduction, errors ~ n·ε·‖A‖: 1e-11 relative to the largest eigenvalue.
        Tolerance.AllClose(nonzero, eig.AsSpan(n - samples), 1e-11 * largest, 0, "nonzero eigenvalues");
        Tolerance.AllClose(new double[n - samples], eig.AsSpan(0, n - samples), 1e-11 * largest, 0, "zero eigenvalues");
    }

    [Fact]
    public void PivotedCholeskyFindsRankAndReconstructs()
    {
        int n = 40, r = 7;
        var g = RandomMatrix.Uniform(n * r, 5);
        var a = new double[n * n];
        MatrixProduct.MultiplyAdd(g, 0, r, false, g, 0, r, true, a, 0, n, n, n, r);
        var original = (double[])a.Clone();
        var f = PivotedCholesky.Decompose(a, n);
        Assert.Equal(r, f.Rank);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < f.Rank; p++) s += f.U[p * n + i] * f.U[p * n + j];
                // Tier: Cholesky backward error ~ n·ε·max diag (≤ 7): 1e-12.
                Tolerance.Close(original[f.Permutation[i] * n + f.Permutation[j]], s, 1e-12, 0, $"PAPᵀ[{i},{j}]");
            }
        }
    }
}
