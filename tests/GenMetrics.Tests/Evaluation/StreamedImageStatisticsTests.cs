using GenMetrics.Features;
using GenMetrics.Evaluation;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Networks;
using GenMetrics.Tests.Features;

namespace GenMetrics.Tests.Evaluation;

/// <summary>
/// FID of image folders streams features from the network into n, Σx, ΣxxT (nothing kept per image) and writes the
/// same feature cache as the whole-matrix path, which both paths then read.
/// </summary>
public sealed class StreamedImageStatisticsTests
{
    private static readonly string SetA = Fixtures.Path("images", "set_a");

    [Fact]
    public void StreamedStatisticsEqualTheWholeMatrixAndShareOneCache()
    {
        using var cache = new TempDirectory();
        var settings = new ImageFeatureSettings { WeightsPath = InceptionFeatures.WeightsPath, CacheDirectory = cache.Root };
        using var provider = new ImageFeatureProvider(settings, KnownProtocols.PytorchFid);

        var (streamed, rows) = provider.GetStatistics(SetA, FidInceptionLayer.Pool3);
        Assert.Equal(1, provider.Extractions);
        string file = Assert.Single(Directory.GetFiles(cache.Root, "*.npy", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(cache.Root, "*.tmp-*", SearchOption.AllDirectories));

        // The whole-matrix path reads the cache the streamed path wrote: no second extraction.
        var (values, wholeRows, columns) = provider.Get(SetA, [FidInceptionLayer.Pool3])[FidInceptionLayer.Pool3];
        Assert.Equal(1, provider.Extractions);
        Assert.Equal(rows, wholeRows);
        Assert.Equal([rows, columns], NpyFile.Read(file).Shape);
        var whole = new GenMetrics.Statistics.FeatureStatistics(columns);
        whole.Add(values);
        // Exact: the same float32 rows in the same order through the fixed-block accumulator.
        Assert.Equal(whole.Mean(), streamed.Mean());
        Assert.Equal(whole.Covariance(), streamed.Covariance());

        // And the streamed path reads it back without extracting.
        var (again, _) = provider.GetStatistics(SetA, FidInceptionLayer.Pool3);
        Assert.Equal(1, provider.Extractions);
        Assert.Equal(streamed.Covariance(), again.Covariance());
    }

    [Fact]
    public void ACacheFileOfAnotherShapeIsRecomputed()
    {
        using var cache = new TempDirectory();
        var settings = new ImageFeatureSettings { WeightsPath = InceptionFeatures.WeightsPath, CacheDirectory = cache.Root };
        using (var provider = new ImageFeatureProvider(settings, KnownProtocols.PytorchFid)) provider.GetStatistics(SetA, FidInceptionLayer.Pool3);
        string file = Assert.Single(Directory.GetFiles(cache.Root, "*.npy", SearchOption.AllDirectories));
        NpyFile.Write(file, NpyArray.FromFloat32(new float[6], 2, 3));
        using var fresh = new ImageFeatureProvider(settings, KnownProtocols.PytorchFid);
        var (stats, rows) = fresh.GetStatistics(SetA, FidInceptionLayer.Pool3);
        Assert.Equal(1, fresh.Extractions);
        Assert.Equal(2048, stats.Dimension);
        Assert.Equal(rows, NpyFile.Read(file).Shape[0]);
    }
}
