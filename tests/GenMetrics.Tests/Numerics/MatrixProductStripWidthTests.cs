using GenMetrics.Numerics;

namespace GenMetrics.Tests.Numerics;

/// <summary>
/// The float64 product's two micro-kernels (6×8 Vector256, 6×16 Vector512) give the same bits: the strip width only
/// groups columns into lanes, each element's fused k-steps are the same. So results do not depend on whether the
/// machine runs the wide kernel (and on a machine without AVX-512 the wide layout's scalar fused path is compared).
/// The Fréchet distance's permuted and in-place products: <see cref="FrechetProductTests"/>.
/// </summary>
public sealed class MatrixProductStripWidthTests
{
    [Theory]
    [InlineData(301, 203, 517, false, false, false, 1)]
    [InlineData(250, 250, 300, true, false, true, 2)]
    [InlineData(97, 45, 600, false, true, false, 2)]
    [InlineData(13, 7, 5, true, true, true, 1)]
    public void BothStripWidthsGiveTheSameBits(int m, int n, int k, bool transA, bool transB, bool upperOnly, int threads)
    {
        var a = RandomMatrix.Uniform(m * k, 1);
        var b = RandomMatrix.Uniform(k * n, 2);
        double[] Run(int width)
        {
            var c = RandomMatrix.Uniform(m * n, 3);
            MatrixProduct.MultiplyAdd(a, 0, transA ? m : k, transA, b, 0, transB ? k : n, transB, c, 0, n, m, n, k,
                upperOnly, maxThreads: threads, stripWidth: width);
            if (upperOnly)
            {
                // The strict lower triangle is undefined with upperOnly.
                for (int i = 0; i < m; i++)
                {
                    for (int j = 0; j < Math.Min(i, n); j++) c[i * n + j] = 0;
                }
            }
            return c;
        }
        Assert.Equal(Run(8), Run(16));
    }

    [Fact]
    public void OtherStripWidthsAreRefused()
    {
        var x = new double[4];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            MatrixProduct.MultiplyAdd(x, 0, 2, false, x, 0, 2, false, x, 0, 2, 2, 2, 2, stripWidth: 4));
    }
}
