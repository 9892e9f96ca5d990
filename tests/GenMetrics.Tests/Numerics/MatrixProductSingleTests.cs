using GenMetrics.Numerics;

namespace GenMetrics.Tests.Numerics;

/// <summary>The float32 product C += A·Bᵀ (KID's sgemm) against a scalar float64 reference, ragged sizes, upper-only, thread count, strip width.</summary>
public sealed class MatrixProductSingleTests
{
    [Theory]
    [InlineData(1, 1, 1, false)]
    [InlineData(7, 17, 5, false)]
    [InlineData(13, 16, 300, true)]
    [InlineData(100, 33, 257, false)]
    [InlineData(200, 200, 513, true)]
    public void ProductEqualsScalarReference(int m, int n, int k, bool upperOnly)
    {
        if (upperOnly) n = m;
        var a = RandomMatrix.UniformSingle(m * k, 1);
        var b = RandomMatrix.UniformSingle(n * k, 2);
        var c = RandomMatrix.UniformSingle(m * n, 3);
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double s = c[i * n + j];
                for (int p = 0; p < k; p++) s += (double)a[i * k + p] * b[j * k + p];
                expected[i * n + j] = s;
            }
        }
        MatrixProduct.MultiplyAdd(a, 0, k, false, b, 0, k, true, c, 0, n, m, n, k, upperOnly);
        for (int i = 0; i < m; i++)
        {
            for (int j = upperOnly ? i : 0; j < n; j++)
            {
                // Tier: float32 accumulation of k ≤ 513 terms of size ≤ 1: worst case about k·2⁻²⁴ ≈ 6e-8·k; 1e-6·k absolute.
                Tolerance.Close(expected[i * n + j], c[i * n + j], 1e-6 * k, 0, $"sgemm [{i},{j}] m={m} n={n} k={k}");
            }
        }
    }

    [Fact]
    public void ProductIsBitIdenticalForOneAndTwoThreads()
    {
        int m = 301, n = 205, k = 700;
        var a = RandomMatrix.UniformSingle(m * k, 4);
        var b = RandomMatrix.UniformSingle(n * k, 5);
        var one = new float[m * n];
        var two = new float[m * n];
        MatrixProduct.MultiplyAdd(a, 0, k, false, b, 0, k, true, one, 0, n, m, n, k, maxThreads: 1);
        MatrixProduct.MultiplyAdd(a, 0, k, false, b, 0, k, true, two, 0, n, m, n, k, maxThreads: 2);
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData(301, 205, 700, false, 2)]
    [InlineData(150, 150, 300, true, 1)]
    [InlineData(7, 45, 13, false, 1)]
    public void BothStripWidthsGiveTheSameBits(int m, int n, int k, bool upperOnly, int threads)
    {
        // The 6×16 Vector256 and 6×32 Vector512 kernels: the width only groups columns into lanes.
        var a = RandomMatrix.UniformSingle(m * k, 6);
        var b = RandomMatrix.UniformSingle(n * k, 7);
        float[] Run(int width)
        {
            var c = RandomMatrix.UniformSingle(m * n, 8);
            MatrixProduct.MultiplyAdd(a, 0, k, false, b, 0, k, true, c, 0, n, m, n, k, upperOnly, threads, stripWidth: width);
            if (upperOnly)
            {
                for (int i = 0; i < m; i++) Array.Clear(c, i * n, Math.Min(i, n));
            }
            return c;
        }
        Assert.Equal(Run(16), Run(32));
    }
}
