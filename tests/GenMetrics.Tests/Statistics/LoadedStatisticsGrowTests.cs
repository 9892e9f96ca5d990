using GenMetrics.Checkpoints;
using GenMetrics.Evaluation;
using GenMetrics.Features;
using GenMetrics.Statistics;

namespace GenMetrics.Tests.Statistics;

/// <summary>
/// Reference statistics loaded from a file without sums (the default layout) still take more real rows: n, μ and Σ
/// become the sums they determine, and FID equals that of one evaluator fed every row.
/// </summary>
public sealed class LoadedStatisticsGrowTests
{
    [Fact]
    public void RowsAddedToLoadedStatisticsGiveTheOnePassFid()
    {
        var a = NpyFile.Read(Fixtures.Path("golden", "fid", "features_set_a_d64.npy")).ToFloat32();
        var b = NpyFile.Read(Fixtures.Path("golden", "fid", "features_set_b_d64.npy")).ToFloat32();
        const int d = 64, first = 40;
        float[] real = [.. a, .. b.AsSpan(0, 32 * d)];
        float[] fake = b.AsSpan(32 * d).ToArray();
        var options = new DistributionEvaluatorOptions { Dimensions = d };

        using var temp = new TempDirectory();
        var head = new FeatureStatistics(d);
        head.Add(real.AsSpan(0, first * d));
        string file = temp.Path("head.npz");
        StatsFile.Write(file, GaussianStatistics.From(head, new StatsProvenance(KnownProtocols.PytorchFid.Name, "", "64")));
        Assert.DoesNotContain("sum_xxT", NpzFile.ReadKeys(file));

        using var grown = new DistributionEvaluator(KnownProtocols.PytorchFid, null, DistributionMetrics.Fid, options);
        grown.LoadRealStatistics(file);
        grown.UpdateRealFeatures(real.AsSpan(first * d));
        grown.UpdateFakeFeatures(fake);
        using var onePass = new DistributionEvaluator(KnownProtocols.PytorchFid, null, DistributionMetrics.Fid, options);
        onePass.UpdateRealFeatures(real);
        onePass.UpdateFakeFeatures(fake);

        var expected = onePass.Compute();
        var actual = grown.Compute();
        Assert.Equal(expected.RealCount, actual.RealCount);
        // 1e-8 relative: the rebuilt sums (n μ, (n − 1) Σ + n μμᵀ) differ from one pass's by float64 rounding
        // (~1e-15 relative), which this small FID (2.09, from traces ~50× larger, with small eigenvalues under the
        // square root) amplifies: merely reversing the order of the 96 real rows moves it by 6.2e-10 relative, and
        // growing gives 2.1e-9. A lost or double-counted row moves FID by ~1e-2.
        Tolerance.Close(expected.Fid!.Value, actual.Fid!.Value, 0, 1e-8, "FID after growing loaded statistics");
    }
}
