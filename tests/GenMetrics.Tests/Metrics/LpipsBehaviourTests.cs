using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

public sealed class LpipsBehaviourTests
{
    [Theory]
    [InlineData(LpipsNetwork.Alex)]
    [InlineData(LpipsNetwork.Squeeze)]
    public void ResultsDoNotDependOnBatchSizeOrOrder(LpipsNetwork network)
    {
        // 64x64 pairs batched together (01, 02, 01), a 255x257 pair and a 48x48 pair: batched vs one at a time.
        string[] numbers = ["01", "05", "02", "16", "01", "06"];
        var pairs = numbers.Select(LpipsFixture.Pair).ToList();
        Lpips lpips = LpipsFixture.Network(network);
        float[] batched = [.. lpips.Compute(pairs).Select(r => r.Value)];
        float[] single = [.. pairs.Select(p => lpips.Distance(p.Reference, p.Distorted))];
        for (int i = 0; i < single.Length; i++) Assert.True(single[i] == batched[i], $"pair {i}: {single[i]:R} vs {batched[i]:R} diff {single[i] - batched[i]:E3}");
        Assert.Equal(batched[0], batched[4]);
    }

    [Fact]
    public void ResultsDoNotDependOnThreadCount()
    {
        var pairs = new[] { "01", "02", "12", "23" }.Select(LpipsFixture.Pair).ToList();
        using var oneThread = new Lpips(new LpipsOptions
        {
            Network = LpipsNetwork.Alex,
            BackboneWeightsPath = LpipsFixture.BackboneWeights(LpipsNetwork.Alex),
            Threads = 1,
        });
        Assert.Equal(
            LpipsFixture.Network(LpipsNetwork.Alex).Compute(pairs).Select(r => r.Value),
            oneThread.Compute(pairs).Select(r => r.Value));
    }

    [Fact]
    public void DistanceIsSymmetric()
    {
        // (f̂0 − f̂1)² is the same float either way round.
        var (a, b) = LpipsFixture.Pair("03");
        Lpips lpips = LpipsFixture.Network(LpipsNetwork.Alex);
        Assert.Equal(lpips.Distance(a, b), lpips.Distance(b, a));
    }

    [Fact]
    public void SizeMismatchIsAClearError()
    {
        var a = LpipsFixture.Pair("01").Reference;
        var b = LpipsFixture.Pair("16").Reference;
        var e = Assert.Throws<GenMetricsException>(() => LpipsFixture.Network(LpipsNetwork.Alex).Compute([(a, b)]));
        Assert.Contains("differ in size (64x64 vs 48x48)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(LpipsNetwork.Alex, 31)]
    [InlineData(LpipsNetwork.Vgg, 16)]
    [InlineData(LpipsNetwork.Squeeze, 17)]
    public void ImagesBelowTheMinimumAreRefusedAndTheMinimumWorks(LpipsNetwork network, int minimum)
    {
        Lpips lpips = LpipsFixture.Network(network);
        Assert.Equal(minimum, lpips.MinimumInputSize);
        var tooSmall = Crop(LpipsFixture.Pair("02").Reference, minimum - 1, minimum + 5);
        var e = Assert.Throws<GenMetricsException>(() => lpips.Compute([(tooSmall, tooSmall)]));
        Assert.Contains($"needs at least {minimum}x{minimum} pixels", e.Message, StringComparison.Ordinal);

        var (r, d) = LpipsFixture.Pair("02");
        float value = lpips.Distance(Crop(r, minimum, minimum), Crop(d, minimum, minimum));
        Assert.True(float.IsFinite(value) && value > 0);
    }

    [Fact]
    public void WrongBackboneFileNamesTheMisshapedKeys()
    {
        // The VGG16 trunk given for AlexNet: same key names for features.0, other shapes, missing features.3.
        var e = Assert.Throws<GenMetricsException>(() => new Lpips(new LpipsOptions
        {
            Network = LpipsNetwork.Alex,
            BackboneWeightsPath = LpipsFixture.BackboneWeights(LpipsNetwork.Vgg),
        }));
        Assert.Contains("vgg16_features.pth", e.Message, StringComparison.Ordinal);
        Assert.Contains("features.0.weight [64, 3, 3, 3] instead of [64, 3, 11, 11]", e.Message, StringComparison.Ordinal);
        Assert.Contains("features.3.weight", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingBackboneFileIsAClearError()
    {
        var e = Assert.Throws<GenMetricsException>(() => new Lpips(new LpipsOptions
        {
            Network = LpipsNetwork.Squeeze,
            BackboneWeightsPath = Path.Combine(Path.GetTempPath(), "no-such-dir-genmetrics", "squeezenet.pth"),
        }));
        Assert.Contains("squeezenet.pth", e.Message, StringComparison.Ordinal);
    }

    private static RgbImage Crop(RgbImage image, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            Array.Copy(image.Pixels, y * image.Width * 3, pixels, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, pixels);
    }
}
