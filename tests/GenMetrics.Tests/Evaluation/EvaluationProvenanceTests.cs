using System.Security.Cryptography;
using GenMetrics.Evaluation;
using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Metrics;
using GenMetrics.Tests.Features;

namespace GenMetrics.Tests.Evaluation;

/// <summary>What <see cref="EvaluationResult"/> records about the features behind it: dimension, layer, network and weights.</summary>
public sealed class EvaluationProvenanceTests
{
    [Fact]
    public void FeatureFilesRecordTheirDimensionAndNoNetwork()
    {
        var r = DistributionEvaluation.Evaluate(Fixtures.Path("golden", "fid", "features_set_a_d64.npy"), Fixtures.Path("golden", "fid", "features_set_b_d64.npy"),
            DistributionMetrics.Fid | DistributionMetrics.PrecisionRecall, new EvaluationOptions(), new ImageFeatureSettings());
        Assert.Equal(64, r.Dimensions);
        Assert.Null(r.Network);
        Assert.Null(r.Layer);
        Assert.Null(r.WeightsFileName);
        Assert.Null(r.WeightsSha256);
    }

    [Fact]
    public void EvaluatorOnFeatureRowsRecordsItsDimensionAndNoNetwork()
    {
        using var e = new DistributionEvaluator(KnownProtocols.PytorchFid, null, DistributionMetrics.Fid, new DistributionEvaluatorOptions { Dimensions = 64 });
        var rows = Enumerable.Range(0, 3 * 64).Select(i => (float)Math.Sin(i)).ToArray();
        e.UpdateRealFeatures(rows);
        e.UpdateFakeFeatures(rows.Reverse().ToArray());
        var r = e.Compute();
        Assert.Equal(64, r.Dimensions);
        Assert.Null(r.Network);
    }

    [Fact]
    public void EvaluatorOnImagesRecordsTheNetworkAndWeights()
    {
        using var e = new DistributionEvaluator(KnownProtocols.PytorchFid, InceptionFeatures.WeightsPath, DistributionMetrics.Fid);
        using (var a = ImageSource.Open(Fixtures.Path("images", "set_a"))) e.UpdateReal(a.Entries.Take(2).Select(x => x.Decode()));
        using (var b = ImageSource.Open(Fixtures.Path("images", "set_b"))) e.UpdateFake(b.Entries.Take(2).Select(x => x.Decode()));
        var r = e.Compute();
        Assert.Equal("fid-inception-v3", r.Network);
        Assert.Equal("pool3", r.Layer);
        Assert.Equal(2048, r.Dimensions);
        Assert.Equal(Path.GetFileName(InceptionFeatures.WeightsPath), r.WeightsFileName);
        using var weights = File.OpenRead(InceptionFeatures.WeightsPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(weights)), r.WeightsSha256);
    }
}
