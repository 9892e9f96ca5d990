using GenMetrics.Checkpoints;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

public sealed class PrecisionRecallDensityCoverageTests
{
    private static readonly string[] PrdcJson = ["golden", "prdc", "prdc.json"];

    public static TheoryData<string> Cases => new() { "a_pytorch_fid_pool3", "a_torch_fidelity_pool3", "b_synthetic_gaussian" };

    private static (double[] Real, double[] Fake, int D) Load(string name)
    {
        var real = NpyFile.Read(Fixtures.Path(GoldenJson.Element(PrdcJson, "cases", name, "real").GetString()!.Split('/')));
        var fake = NpyFile.Read(Fixtures.Path(GoldenJson.Element(PrdcJson, "cases", name, "fake").GetString()!.Split('/')));
        return (real.ToFloat64(), fake.ToFloat64(), real.Shape[1]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchPrdcAndTorchFidelityExactly(string name)
    {
        var (real, fake, d) = Load(name);
        foreach (int k in new[] { 3, 5 })
        {
            // Tier: exact. The values are fractions count/n; the same float operations give the same bits.
            var dc = DensityCoverage.Compute(real, fake, d, k);
            Assert.Equal(GoldenJson.Number(PrdcJson, "cases", name, $"prdc_k{k}", "density"), dc.Density);
            Assert.Equal(GoldenJson.Number(PrdcJson, "cases", name, $"prdc_k{k}", "coverage"), dc.Coverage);
            var prdc = PrecisionRecall.Compute(real, fake, d, k, NeighbourhoodConvention.Prdc);
            Assert.Equal(GoldenJson.Number(PrdcJson, "cases", name, $"prdc_k{k}", "precision"), prdc.Precision);
            Assert.Equal(GoldenJson.Number(PrdcJson, "cases", name, $"prdc_k{k}", "recall"), prdc.Recall);
            var tf = PrecisionRecall.Compute(real, fake, d, k);
            Assert.Equal(GoldenJson.Number(PrdcJson, "cases", name, $"torch_fidelity_k{k}", "precision"), tf.Precision);
            Assert.Equal(GoldenJson.Number(PrdcJson, "cases", name, $"torch_fidelity_k{k}", "recall"), tf.Recall);
        }
    }

    [Fact]
    public void TorchFidelityCalculateMetricsValues()
    {
        var real = NpyFile.Read(Fixtures.Path("golden", "fid_tf", "features_set_a_2048.npy")).ToFloat64();
        var fake = NpyFile.Read(Fixtures.Path("golden", "fid_tf", "features_set_b_2048.npy")).ToFloat64();
        string[] tf = ["golden", "fid_tf", "fid_tf.json"];
        var k3 = PrecisionRecall.Compute(real, fake, 2048, 3);
        Assert.Equal(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "precision"), k3.Precision);
        Assert.Equal(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "recall"), k3.Recall);
        var k5 = PrecisionRecall.Compute(real, fake, 2048, 5);
        Assert.Equal(GoldenJson.Number(tf, "metrics", "prc_k5", "result", "precision"), k5.Precision);
        Assert.Equal(GoldenJson.Number(tf, "metrics", "prc_k5", "result", "recall"), k5.Recall);
    }

    [Fact]
    public void BlockedDistancesEqualPlainLoopOnBlockBoundaries()
    {
        // 400 rows span two distance blocks (384 + 16); compare with a plain scalar implementation.
        var rng = new Random(7);
        int d = 5, n = 400;
        var real = Enumerable.Range(0, n * d).Select(_ => rng.NextDouble()).ToArray();
        var fake = Enumerable.Range(0, n * d).Select(_ => rng.NextDouble() + 0.1).ToArray();
        var dc = DensityCoverage.Compute(real, fake, d, 5);
        var (density, coverage) = PlainDensityCoverage(real, fake, n, d, 5);
        Assert.Equal(density, dc.Density, 12);
        Assert.Equal(coverage, dc.Coverage, 12);
    }

    private static (double Density, double Coverage) PlainDensityCoverage(double[] real, double[] fake, int n, int d, int k)
    {
        double Dist(double[] a, int i, double[] b, int j)
        {
            double s = 0;
            for (int t = 0; t < d; t++) s += (a[i * d + t] - b[j * d + t]) * (a[i * d + t] - b[j * d + t]);
            return Math.Sqrt(s);
        }
        var radius = new double[n];
        for (int i = 0; i < n; i++)
        {
            var row = Enumerable.Range(0, n).Select(j => i == j ? 0 : Dist(real, i, real, j)).OrderBy(v => v).ToArray();
            radius[i] = row[k];
        }
        long count = 0;
        int covered = 0;
        for (int i = 0; i < n; i++)
        {
            double min = double.PositiveInfinity;
            for (int j = 0; j < n; j++)
            {
                double dist = Dist(real, i, fake, j);
                if (dist < radius[i]) count++;
                min = Math.Min(min, dist);
            }
            if (min < radius[i]) covered++;
        }
        return (1.0 / k * ((double)count / n), (double)covered / n);
    }

    [Fact]
    public void DimensionMismatchAndNonFiniteAreRefused()
    {
        Assert.Throws<GenMetricsException>(() => PrecisionRecall.Compute(new double[12], new double[10], 4));
        var bad = new double[40];
        bad[3] = double.PositiveInfinity;
        Assert.Throws<GenMetricsException>(() => DensityCoverage.Compute(new double[40], bad, 4));
        Assert.Throws<GenMetricsException>(() => DensityCoverage.Compute(new double[4], new double[40], 4));
    }
}
