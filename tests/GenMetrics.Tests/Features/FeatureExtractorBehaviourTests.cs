using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Networks;
using static GenMetrics.Tests.Features.InceptionFeatures;

namespace GenMetrics.Tests.Features;

public sealed class FeatureExtractorBehaviourTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("genmetrics-features-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void ResultsAreIdenticalForBatchSizes1And7And32AndThreadCounts1And2()
    {
        // The first 9 set_a images: batch 7 leaves a partial batch of 2.
        foreach (string file in Directory.GetFiles(Fixtures.Path("images", "set_a")).Order(StringComparer.Ordinal).Take(9))
        {
            File.Copy(file, Path.Combine(_folder, Path.GetFileName(file)));
        }
        FeatureSet reference = Of(KnownProtocols.PytorchFid, "set_a"); // the default batch, 2 threads
        foreach (var (batch, threads) in new[] { (1, 2), (7, 1) })
        {
            using var extractor = new FeatureExtractor(new FeatureExtractorOptions
            {
                WeightsPath = WeightsPath,
                Layers = [FidInceptionLayer.Pool3, FidInceptionLayer.Block64],
                BatchSize = batch,
                Threads = threads,
            });
            using var source = ImageSource.Open(_folder);
            FeatureSet set = extractor.Extract(source);
            Assert.Equal(9, set[FidInceptionLayer.Pool3].Rows);
            for (int row = 0; row < 9; row++)
            {
                // exact equality: ONNX Runtime's kernels reduce each output in a fixed order per image
                Assert.True(reference[FidInceptionLayer.Pool3].Row(row).SequenceEqual(set[FidInceptionLayer.Pool3].Row(row)),
                    $"pool3 row {row} differs with batch {batch}, {threads} thread(s)");
                Assert.True(reference[FidInceptionLayer.Block64].Row(row).SequenceEqual(set[FidInceptionLayer.Block64].Row(row)),
                    $"64-d row {row} differs with batch {batch}, {threads} thread(s)");
            }
        }
    }

    [Fact]
    public void ProvenanceNamesProtocolWeightsHashAndImages()
    {
        FeatureSet set = Of(KnownProtocols.PytorchFid, "set_a");
        Assert.Equal("pytorch-fid", set.Protocol);
        Assert.Equal(64, set.WeightsSha256.Length);
        Assert.Equal("a_000.png", set.Images[0]);
        Assert.Equal(64, set.Images.Count);
        var empty = new FeatureSet("clean", "w.pth", "00", [], new Dictionary<FidInceptionLayer, FeatureMatrix>());
        var error = Assert.Throws<GenMetricsException>(() => empty[FidInceptionLayer.Pool3]);
        Assert.Contains("pool3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WeightsOfAnotherNetworkAreRejectedWithMissingKeysListed()
    {
        var error = Assert.Throws<GenMetricsException>(() => new FeatureExtractor(new FeatureExtractorOptions
        {
            WeightsPath = Fixtures.Path("weights", "alexnet_features.pth"),
        }));
        Assert.Contains("Conv2d_1a_3x3.conv.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("alexnet_features.pth", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void MissingAndTruncatedWeightsAreOneLineErrors()
    {
        string missing = Path.Combine(_folder, "nope.pth");
        var error = Assert.Throws<GenMetricsException>(() => new FeatureExtractor(new FeatureExtractorOptions { WeightsPath = missing }));
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);

        string truncated = Path.Combine(_folder, "truncated.pth");
        using (var input = File.OpenRead(WeightsPath))
        using (var output = File.Create(truncated))
        {
            var buffer = new byte[1 << 20];
            int read = input.Read(buffer);
            output.Write(buffer, 0, read);
        }
        error = Assert.Throws<GenMetricsException>(() => new FeatureExtractor(new FeatureExtractorOptions { WeightsPath = truncated }));
        Assert.Contains("truncated.pth", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void CorruptImageFailsNamingTheFile()
    {
        File.Copy(Fixtures.Path("images", "set_a", "a_000.png"), Path.Combine(_folder, "a.png"));
        File.WriteAllBytes(Path.Combine(_folder, "b.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        using var source = ImageSource.Open(_folder);
        var error = Assert.Throws<GenMetricsException>(() => For(KnownProtocols.PytorchFid).Extract(source));
        Assert.Contains("b.png", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptionsAreRejectedBeforeLoading()
    {
        Assert.Throws<GenMetricsException>(() => new FeatureExtractor(new FeatureExtractorOptions { WeightsPath = WeightsPath, BatchSize = 0 }));
        Assert.Throws<GenMetricsException>(() => new FeatureExtractor(new FeatureExtractorOptions { WeightsPath = WeightsPath, Threads = -1 }));
        Assert.Throws<GenMetricsException>(() => new FeatureExtractor(new FeatureExtractorOptions { WeightsPath = WeightsPath, Layers = [] }));
    }
}
