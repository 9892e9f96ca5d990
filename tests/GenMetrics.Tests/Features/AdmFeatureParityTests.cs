using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Networks;
using GenMetrics.Tests.Imaging;
using Xunit.Abstractions;
using static GenMetrics.Tests.Features.InceptionFeatures;

namespace GenMetrics.Tests.Features;

/// <summary>
/// The adm protocol's pool3 and spatial (sFID) features of ADM batches built from the fixture images, read back
/// through <see cref="AdmBatchFile"/>, against <c>golden/adm</c>. Tier network-float32 as in
/// <see cref="FeatureParityTests"/> (atol 2e-4 + rtol 1e-4): same network, same TF1 resize as torch-fidelity.
/// </summary>
public sealed class AdmFeatureParityTests(ITestOutputHelper output) : IDisposable
{
    private const double FeatureAtol = 2e-4;
    private const double FeatureRtol = 1e-4;
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("set_a", "9fb1ddf7bdf1cd28096706e5ff255a4a2d2355c91096f862ac11c10ceb7880fb")]
    [InlineData("set_b", "5c2def3c1bbc28421c5a63f5bd1ce5f16b11437b426d29303a092dd5b431647c")]
    public void BatchesAreBuiltAsTheGoldenBuiltThem(string folder, string sha256)
    {
        // arr_0_sha256 of golden/adm/README.md: the batch bytes the reference evaluator read.
        Assert.Equal(sha256, AdmBatches.Sha256(AdmBatches.Stack(folder).Pixels));
    }

    [Theory]
    [InlineData("set_a")]
    [InlineData("set_b")]
    public void Pool3AndSpatialFeaturesOfABatchMatchGolden(string folder)
    {
        string path = AdmBatches.Write(_temp.Path($"{folder}.npz"), folder);
        var batch = AdmBatchFile.Open(path);
        Assert.Equal((64, 256, 256), (batch.Count, batch.Height, batch.Width));
        using var extractor = new FeatureExtractor(new FeatureExtractorOptions
        {
            WeightsPath = WeightsPath,
            Protocol = KnownProtocols.Adm,
            Layers = [FidInceptionLayer.Pool3, FidInceptionLayer.Spatial],
            Threads = 2,
        });
        FeatureSet set = extractor.Extract(batch.Images());
        Assert.Equal("adm", set.Protocol);
        foreach (var (layer, golden) in new[] { (FidInceptionLayer.Pool3, "pool3"), (FidInceptionLayer.Spatial, "spatial") })
        {
            double[] expected = Golden("golden", "adm", $"{golden}_{folder}.npy");
            double[] actual = ToDouble(set[layer].Values);
            Assert.Equal(expected.Length, actual.Length);
            var (max, rel) = Distance(actual, expected);
            output.WriteLine($"adm {folder} {golden}: max |diff| {max:E3}, rel Frobenius {rel:E3}");
            // tier network-float32 (see class remarks)
            Tolerance.AllClose(expected, actual, FeatureAtol, FeatureRtol, $"adm {folder} {golden}");
        }
    }
}
