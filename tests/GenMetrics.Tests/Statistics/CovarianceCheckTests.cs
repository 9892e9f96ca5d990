using GenMetrics.Statistics;

namespace GenMetrics.Tests.Statistics;

/// <summary>
/// The PSD rule of stats files (no eigenvalue below −1e-5 × the largest |eigenvalue|) on both of its paths: the
/// shifted Cholesky that accepts quickly and the eigensolve that decides when the Cholesky fails.
/// </summary>
public sealed class CovarianceCheckTests
{
    private static double[] Rotated(double l1, double l2)
    {
        // Q·diag(l1, l2)·Qᵀ with a rotation by 0.3 rad, so the matrix is not diagonal.
        double c = Math.Cos(0.3), s = Math.Sin(0.3);
        return [c * c * l1 + s * s * l2, c * s * (l1 - l2), c * s * (l1 - l2), s * s * l1 + c * c * l2];
    }

    [Theory]
    [InlineData(-5e-7)] // within the Cholesky's shift: accepted on the fast path
    [InlineData(-5e-6)] // beyond the shift but within the rule: the eigensolve accepts it
    [InlineData(0.0)]
    public void EigenvaluesWithinTheRuleAreAccepted(double small)
    {
        StatsFile.CheckCovariance(Rotated(1, small), 2, "x.npz");
    }

    [Fact]
    public void EigenvalueBeyondTheRuleIsRefusedWithItsValue()
    {
        var e = Assert.Throws<GenMetricsException>(() => StatsFile.CheckCovariance(Rotated(1, -2e-5), 2, "x.npz"));
        Assert.Contains("x.npz", e.Message, StringComparison.Ordinal);
        Assert.Contains("eigenvalue -2", e.Message, StringComparison.Ordinal);
        Assert.Contains("dimension 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RankDeficientCovarianceIsAccepted()
    {
        // 13 samples in 64 dimensions: rank 12, the other eigenvalues zero up to rounding of either sign.
        const int n = 13, d = 64;
        var rng = new Random(5);
        var x = new double[n * d];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() - 0.5;
        var mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += x[i * d + j] / n;
        var cov = new double[d * d];
        for (int a = 0; a < d; a++)
        {
            for (int b = 0; b < d; b++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += (x[i * d + a] - mean[a]) * (x[i * d + b] - mean[b]);
                cov[a * d + b] = s / (n - 1);
            }
        }
        StatsFile.CheckCovariance(cov, d, "low-rank.npz");
    }

    [Theory]
    [InlineData(-5e-7)]
    [InlineData(-5e-6)]
    [InlineData(0.0)]
    [InlineData(0.25)] // full rank: the factor alone proves the rule
    public void TheFactorKeepingCheckAcceptsTheSameMatrices(double small)
    {
        var cov = Rotated(1, small);
        var factor = StatsFile.CheckCovarianceKeepingFactor(cov, 2, "x.npz");
        Assert.Equal(small > 1e-9 ? 2 : 1, factor.Rank);
    }

    [Fact]
    public void TheFactorKeepingCheckRefusesWithTheSameMessage()
    {
        var plain = Assert.Throws<GenMetricsException>(() => StatsFile.CheckCovariance(Rotated(1, -2e-5), 2, "x.npz"));
        var keeping = Assert.Throws<GenMetricsException>(() => StatsFile.CheckCovarianceKeepingFactor(Rotated(1, -2e-5), 2, "x.npz"));
        Assert.Equal(plain.Message, keeping.Message);
        double[] asymmetric = [1, 0.5, 0.4, 1];
        var plainSym = Assert.Throws<GenMetricsException>(() => StatsFile.CheckCovariance(asymmetric, 2, "y.npz"));
        var keepingSym = Assert.Throws<GenMetricsException>(() => StatsFile.CheckCovarianceKeepingFactor(asymmetric, 2, "y.npz"));
        Assert.Equal(plainSym.Message, keepingSym.Message);
    }
}
