using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

/// <summary>Conformance: stateless == stateful; one pass == batches == merge of ordered shards; reset.</summary>
public sealed class LpipsAccumulatorTests
{
    [Fact]
    public void StatefulEqualsStatelessAndShardsMergeExactly()
    {
        Lpips lpips = LpipsFixture.Network(LpipsNetwork.Alex);
        var pairs = LpipsFixture.MeasurablePairs(LpipsNetwork.Alex).Take(6).Select(LpipsFixture.Pair).ToList();

        var onePass = new LpipsAccumulator(lpips);
        onePass.Update(pairs);
        double expectedMean = lpips.Compute(pairs).Select(d => (double)d.Value).Aggregate(0.0, (s, v) => s + v) / pairs.Count;
        Assert.Equal(expectedMean, onePass.Compute());

        var first = new LpipsAccumulator(lpips);
        var second = new LpipsAccumulator(lpips);
        foreach (var (r, d) in pairs.Take(2)) first.Update(r, d);
        second.Update(pairs.Skip(2).ToList());
        first.Merge(second);
        Assert.Equal(onePass.Values, first.Values);
        Assert.Equal(onePass.Compute(), first.Compute());

        first.Reset();
        Assert.Equal(0, first.Count);
        Assert.True(double.IsNaN(first.Compute()));
    }
}
