using GenMetrics.Statistics;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Statistics;

public sealed class FeatureStatisticsTests
{
    [Fact]
    public void MeanAndCovarianceMatchPytorchFid()
    {
        var s = FeatureMatrix.Statistics("golden", "fid", "features_set_a_d2048.npy");
        var mu = GenMetrics.Checkpoints.NpyFile.Read(Fixtures.Path("golden", "fid", "mu_set_a_d2048.npy")).ToFloat64();
        string[] json = ["golden", "fid", "fid.json"];
        // Tier: float64 sums in a different order than np.mean / np.cov: 1e-12 relative.
        Tolerance.AllClose(mu, s.Mean, 1e-15, 1e-12, "mu");
        int d = s.Dimension;
        double trace = 0, sum = 0;
        for (int i = 0; i < d; i++) trace += s.Covariance[i * d + i];
        foreach (double v in s.Covariance) sum += v;
        Tolerance.Close(GoldenJson.Number(json, "sets", "set_a", "d2048", "trace_sigma"), trace, 0, 1e-10, "trace sigma");
        Tolerance.Close(GoldenJson.Number(json, "sets", "set_a", "d2048", "sigma_sum"), sum, 0, 1e-10, "sum sigma");
        var row0 = GoldenJson.Element(json, "sets", "set_a", "d2048", "sigma_row0_first8").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Tolerance.AllClose(row0, s.Covariance.AsSpan(0, 8), 1e-14, 1e-9, "sigma row 0");
    }

    [Fact]
    public void BatchingAndMergingDoNotChangeTheResult()
    {
        var (x, n, d) = FeatureMatrix.Load("golden", "fid", "features_set_b_d192.npy");
        var one = new FeatureStatistics(d);
        one.Add(x);
        var rows = new FeatureStatistics(d);
        for (int r = 0; r < n; r++) rows.Add(x.AsSpan(r * d, d));
        Assert.Equal(one.Covariance(), rows.Covariance());
        Assert.Equal(one.Mean(), rows.Mean());
        Assert.Equal(one.MeanFloat32(), rows.MeanFloat32());
        var a = new FeatureStatistics(d);
        a.Add(x.AsSpan(0, 10 * d));
        var b = new FeatureStatistics(d);
        b.Add(x.AsSpan(10 * d));
        a.Merge(b);
        Assert.Equal(n, a.Count);
        // Tier: merge adds partial sums in another order: float64 rounding only.
        Tolerance.AllClose(one.Covariance(), a.Covariance(), 1e-13, 1e-10, "merged covariance");
    }

    [Fact]
    public void PopulationNormalisationDividesByN()
    {
        var s = new FeatureStatistics(2);
        s.Add(new double[] { 1, 2, 3, 6 });
        var sample = s.Covariance();
        var population = s.Covariance(CovarianceNormalization.PopulationN);
        Assert.Equal(2.0, sample[0], 12);
        Assert.Equal(1.0, population[0], 12);
        Assert.Equal(8.0, sample[3], 12);
    }

    [Fact]
    public void TorchFidelityFloat32MeanIsRowOrderFloat32()
    {
        var (x, n, d) = FeatureMatrix.Load("golden", "fid_tf", "features_set_a_2048.npy");
        var s = new FeatureStatistics(d);
        s.Add(x);
        var mean = s.MeanFloat32();
        for (int j = 0; j < d; j += 97)
        {
            float acc = 0;
            for (int r = 0; r < n; r++) acc += (float)x[r * d + j];
            Assert.Equal(acc / n, mean[j]);
        }
    }

    [Fact]
    public void NonFiniteFeatureIsRefused()
    {
        var s = new FeatureStatistics(3);
        Assert.Throws<GenMetricsException>(() => s.Add(new float[] { 1, float.PositiveInfinity, 0 }));
    }
}

public sealed class FeatureStatisticsResetTests
{
    [Fact]
    public void ResetReturnsToEmpty()
    {
        var s = new FeatureStatistics(2);
        s.Add(new double[] { 5, 5, 9, 1 });
        s.Reset();
        s.Add(new double[] { 1, 2, 3, 6 });
        Assert.Equal(2, s.Count);
        Assert.Equal(new[] { 2.0, 4.0 }, s.Mean());
    }
}
