using GenMetrics.Checkpoints;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

/// <summary>
/// KID of float32 rows read in place (what <see cref="GenMetrics.Evaluation.DistributionEvaluator"/> keeps) is bit for
/// bit KID of their float64 widening (what a feature file or image input gives), under both subset rules.
/// </summary>
public sealed class Float32KidTests
{
    private static float[] Rows(string set) => NpyFile.Read(Fixtures.Path("golden", "fid_tf", $"features_{set}_2048.npy")).ToFloat32();

    private static double[] Widen(float[] values) => Array.ConvertAll(values, v => (double)v);

    [Theory]
    [InlineData(2020, 50)]
    [InlineData(7, 64)]
    public void TorchFidelityRuleIsExactOnFloat32Rows(int seed, int subsetSize)
    {
        float[] fake = Rows("set_b"), real = Rows("set_a");
        var wide = Kid.Compute(Widen(fake), Widen(real), 2048, 10, subsetSize, seed);
        var narrow = Kid.Compute(fake.AsSpan(), real.AsSpan(), 2048, 10, subsetSize, seed);
        // Exact: the float32 kernel reads the same float32 values either way.
        Assert.Equal(wide.SubsetValues, narrow.SubsetValues);
        Assert.Equal(wide.Mean, narrow.Mean);
        Assert.Equal(wide.Std, narrow.Std);
    }

    [Fact]
    public void TorchmetricsRuleIsExactOnFloat32Rows()
    {
        float[] fake = Rows("set_b"), real = Rows("set_a");
        var wide = TorchmetricsKid.Compute(Widen(real), Widen(fake), 2048, 10, 50, 42);
        var narrow = TorchmetricsKid.Compute(real.AsSpan(), fake.AsSpan(), 2048, 10, 50, 42L);
        // Exact, as above.
        Assert.Equal(wide.SubsetValues, narrow.SubsetValues);
        Assert.Equal(wide.Mean, narrow.Mean);
        Assert.Equal(wide.Std, narrow.Std);
    }

    [Fact]
    public void Float32RowsAreCheckedAsTheirWidening()
    {
        float[] rows = Rows("set_a");
        rows[5] = float.NaN;
        var wide = Assert.Throws<GenMetricsException>(() => Kid.Compute(Widen(rows), Widen(rows), 2048, 1, 10, 1));
        var narrow = Assert.Throws<GenMetricsException>(() => Kid.Compute(rows.AsSpan(), rows.AsSpan(), 2048, 1, 10, 1));
        Assert.Equal(wide.Message, narrow.Message);
        rows[5] = 3e6f;
        var wideMagnitude = Assert.Throws<GenMetricsException>(() => Kid.Compute(Widen(rows), Widen(rows), 2048, 1, 10, 1));
        var narrowMagnitude = Assert.Throws<GenMetricsException>(() => Kid.Compute(rows.AsSpan(), rows.AsSpan(), 2048, 1, 10, 1));
        Assert.Equal(wideMagnitude.Message, narrowMagnitude.Message);
    }
}
