using GenMetrics.Networks;

namespace GenMetrics.Tests.Networks;

public sealed class LpipsTrunkTests
{
    [Theory]
    // AlexNet: conv 11/4 pad 2 → maxpool 3/2 → … → maxpool 3/2 must still see a 3-wide input: 31.
    [InlineData("alex", 31)]
    // VGG16: four 2×2 pools before relu5_3: 16.
    [InlineData("vgg", 16)]
    // SqueezeNet 1.1: conv 3/2 then three ceil-mode 3/2 pools, each needing at least 2 inputs: 17.
    [InlineData("squeeze", 17)]
    public void MinimumInputSizeFollowsPyTorchsOutputSizeRules(string name, int expected)
    {
        LpipsTrunk trunk = Trunk(name);
        Assert.Equal(expected, trunk.MinimumInputSize);
        Assert.All(trunk.TapLengths(expected), length => Assert.True(length >= 1));
        Assert.Contains(trunk.TapLengths(expected - 1), length => length < 1);
    }

    [Fact]
    public void TapLengthsMatchTorchvisionShapes()
    {
        // Hand-derived with PyTorch's formulas for a 64-pixel side and a 224-pixel side.
        Assert.Equal([15, 7, 3, 3, 3], AlexNetFeatures.Instance.TapLengths(64));
        Assert.Equal([55, 27, 13, 13, 13], AlexNetFeatures.Instance.TapLengths(224));
        Assert.Equal([224, 112, 56, 28, 14], Vgg16Features.Instance.TapLengths(224));
        Assert.Equal([31, 15, 7, 3, 3, 3, 3], SqueezeNet11Features.Instance.TapLengths(64));
        Assert.Equal([111, 55, 27, 13, 13, 13, 13], SqueezeNet11Features.Instance.TapLengths(224));
    }

    [Fact]
    public void CeilModePoolKeepsTheLastPartialWindow()
    {
        Assert.Equal(1, FeatureMapSize.MaxPool(2, 3, 2, ceilMode: true));
        Assert.Equal(0, FeatureMapSize.MaxPool(1, 3, 2, ceilMode: true));
        Assert.Equal(4, FeatureMapSize.MaxPool(8, 3, 2, ceilMode: true));
        Assert.Equal(3, FeatureMapSize.MaxPool(8, 3, 2, ceilMode: false));
    }

    [Fact]
    public void ExpectedKeysMatchTheFixtureManifest()
    {
        // weights_manifest.json: alexnet 10 tensors, squeezenet1_1 50, vgg16 26.
        Assert.Equal(10, AlexNetFeatures.Instance.ExpectedShapes().Count());
        Assert.Equal(50, SqueezeNet11Features.Instance.ExpectedShapes().Count());
        Assert.Equal(26, Vgg16Features.Instance.ExpectedShapes().Count());
    }

    private static LpipsTrunk Trunk(string name) => name switch
    {
        "alex" => AlexNetFeatures.Instance,
        "vgg" => Vgg16Features.Instance,
        _ => SqueezeNet11Features.Instance,
    };
}
