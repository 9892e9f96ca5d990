using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

public sealed class LpipsBehaviourTests
{
    [Theory]
    [InlineData(LpipsNetwork.Alex)]
    [InlineData(LpipsNetwork.Squeeze)]
    public void ResultsDoNotDependOnBatchSizeOrOrder(LpipsNetwork network)
    {
        // The fixture pairs (several sizes; equal sizes share a batch) plus a repeat: batched vs one at a time.
        var numbers = LpipsFixture.MeasurablePairs(network).Take(8).ToList();
        numbers.Add(numbers[0]);
        var pairs = numbers.Select(LpipsFixture.Pair).ToList();
        Lpips lpips = LpipsFixture.Network(network);
        float[] batched = [.. lpips.Compute(pairs).Select(r => r.Value)];
        float[] single = [.. pairs.Select(p => lpips.Distance(p.Reference, p.Distorted))];
        for (int i = 0; i < single.Length; i++) Assert.True(single[i] == batched[i], $"pair {i}: {single[i]:R} vs {batched[i]:R} diff {single[i] - batched[i]:E3}");
        Assert.Equal(batched[0], batched[^1]);
    }

    [Fact]
    public void ResultsDoNotDependOnThreadCount()
    {
        var pairs = LpipsFixture.MeasurablePairs(LpipsNetwork.Alex).Take(4).Select(LpipsFixture.Pair).ToList();
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
        var (a, b) = LpipsFixture.Pair(LpipsFixture.MeasurablePairs(LpipsNetwork.Alex)[0]);
        Lpips lpips = LpipsFixture.Network(LpipsNetwork.Alex);
        Assert.Equal(lpips.Distance(a, b), lpips.Distance(b, a));
    }

    [Fact]
    public void SizeMismatchIsAClearError()
    {
        var a = LpipsFixture.Synthetic(64, 64, 1);
        var b = LpipsFixture.Synthetic(48, 48, 2);
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
        var tooSmall = LpipsFixture.Synthetic(minimum - 1, minimum + 5, 3);
        var e = Assert.Throws<GenMetricsException>(() => lpips.Compute([(tooSmall, tooSmall)]));
        Assert.Contains($"needs at least {minimum}x{minimum} pixels", e.Message, StringComparison.Ordinal);

        float value = lpips.Distance(LpipsFixture.Synthetic(minimum, minimum, 4), LpipsFixture.Synthetic(minimum, minimum, 5));
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
}
