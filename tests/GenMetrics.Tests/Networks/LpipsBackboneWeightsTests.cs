using GenMetrics.Metrics;
using GenMetrics.Networks;
using GenMetrics.Tests.Imaging;
using GenMetrics.Weights;

namespace GenMetrics.Tests.Networks;

/// <summary>Without --backbone-weights the trunk comes from the weights registry (caches, then download).</summary>
public sealed class LpipsBackboneWeightsTests
{
    [Fact]
    public void TrunksMapToTheCanonicalTorchvisionFiles()
    {
        Assert.Equal("alexnet-owt-7be5be79.pth", LpipsBackboneWeights.KnownWeightFor(AlexNetFeatures.Instance).FileName);
        Assert.Equal("vgg16-397923af.pth", LpipsBackboneWeights.KnownWeightFor(Vgg16Features.Instance).FileName);
        Assert.Equal("squeezenet1_1-b8a52dc0.pth", LpipsBackboneWeights.KnownWeightFor(SqueezeNet11Features.Instance).FileName);
        Assert.Equal(new Uri("https://download.pytorch.org/models/alexnet-owt-7be5be79.pth"), LpipsBackboneWeights.KnownWeightFor(AlexNetFeatures.Instance).Url);
    }

    [Fact]
    public void FindsTheTorchvisionFileInTheTorchHubCacheAndChecksItsHash()
    {
        using var dir = new ScratchFolder();
        var folders = new WeightsCacheFolders(dir.File("genmetrics"), dir.File("hub", "checkpoints"));
        Directory.CreateDirectory(folders.TorchHubCheckpoints);
        // The fixture trunk under the canonical name: found there, but its SHA-256 is not torchvision's (b8a52dc0…),
        // so it is refused before use, with this verb's flag in the fix.
        string cached = Path.Combine(folders.TorchHubCheckpoints, "squeezenet1_1-b8a52dc0.pth");
        File.Copy(Fixtures.Path("weights", "squeezenet1_1_features.pth"), cached);
        var resolver = new WeightsResolver(folders, offline: true);
        Assert.Equal(new WeightsLocation(cached, WeightsSource.TorchHubCache), resolver.Locate(LpipsBackboneWeights.KnownWeightFor(SqueezeNet11Features.Instance)));
        var e = Assert.Throws<GenMetricsException>(() => LpipsBackboneWeights.Load(SqueezeNet11Features.Instance, null, null, resolver));
        Assert.StartsWith(cached + ": SHA-256 03b627fd", e.Message, StringComparison.Ordinal);
        Assert.Contains("give its path explicitly", e.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(GenMetrics.Metrics.LpipsOptions.BackboneWeightsPath), e.ParameterName); // the CLI adds "(option --backbone-weights)"
        // Passed explicitly, the same file is the user's choice and loads.
        Assert.Equal(50, LpipsBackboneWeights.Load(SqueezeNet11Features.Instance, cached, null, resolver).Count);
    }

    [Fact]
    public void MissingAndOfflineSaysWhereToPutTheFile()
    {
        using var dir = new ScratchFolder();
        var folders = new WeightsCacheFolders(dir.File("genmetrics"), dir.File("hub", "checkpoints"));
        var e = Assert.Throws<GenMetricsException>(() =>
            LpipsBackboneWeights.Load(AlexNetFeatures.Instance, null, null, new WeightsResolver(folders, offline: true)));
        Assert.Contains("alexnet-owt-7be5be79.pth", e.Message, StringComparison.Ordinal);
        Assert.Contains("pass the file's path", e.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(LpipsOptions.BackboneWeightsPath), e.ParameterName);
    }
}
