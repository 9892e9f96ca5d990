using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

public sealed class OrderedParallelDecoderTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(4, 8)]
    public void KeepsOrderAndNeverRunsMoreThanCapacityAhead(int threads, int capacity)
    {
        int consumed = 0, maxAhead = 0;
        var items = Enumerable.Range(0, 200).ToList();
        var results = new List<int>();
        foreach (var (item, result) in OrderedParallelDecoder.Run(items, i =>
        {
            int ahead = i - Volatile.Read(ref consumed);
            int seen;
            do
            {
                seen = Volatile.Read(ref maxAhead);
            }
            while (ahead > seen && Interlocked.CompareExchange(ref maxAhead, ahead, seen) != seen);
            if (i % 7 == 0) Thread.Sleep(1);
            return i * 2;
        }, threads, capacity, CancellationToken.None))
        {
            Assert.Equal(item * 2, result);
            results.Add(item);
            Interlocked.Increment(ref consumed);
        }
        Assert.Equal(items, results);
        // An item starts only when it enters the window of `capacity` items after the one being consumed.
        Assert.True(maxAhead <= capacity, $"item started {maxAhead} ahead of the consumer, capacity {capacity}");
    }

    [Fact]
    public void CancellationStopsTheEnumeration()
    {
        using var cts = new CancellationTokenSource();
        var items = Enumerable.Range(0, 1000).ToList();
        int count = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in OrderedParallelDecoder.Run(items, i => i, 2, 4, cts.Token))
            {
                if (++count == 10) cts.Cancel();
            }
        });
        Assert.True(count < 1000);
    }
}
