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

    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 1000)]
    [InlineData(4, 3000)]
    public void DecodedBytesWaitingForTheConsumerStayWithinTheBudget(int threads, long budget)
    {
        // Items of 100..900 "bytes" (their weight), a slow consumer, capacity far above what the budget allows:
        // the bytes decoded and not yet consumed never exceed budget + 2·threads × the largest item.
        const long largest = 900;
        long inFlight = 0, maxInFlight = 0;
        var items = Enumerable.Range(0, 120).ToList();
        var order = new List<int>();
        foreach (var (item, result) in OrderedParallelDecoder.Run(items, i =>
        {
            long w = 100 + i * 37 % 9 * 100;
            long now = Interlocked.Add(ref inFlight, w);
            long seen;
            do
            {
                seen = Volatile.Read(ref maxInFlight);
            }
            while (now > seen && Interlocked.CompareExchange(ref maxInFlight, now, seen) != seen);
            return w;
        }, threads, capacity: 64, CancellationToken.None, weight: w => w, budget: budget))
        {
            order.Add(item);
            Thread.Sleep(1); // the consumer is the bottleneck, so decoding would run ahead without the budget
            Interlocked.Add(ref inFlight, -result);
        }
        Assert.Equal(items, order);
        long bound = budget + 2 * threads * largest;
        Assert.True(maxInFlight <= bound, $"{maxInFlight} bytes in flight, bound {bound}");
    }

    [Fact]
    public void AnItemLargerThanTheBudgetStillRuns()
    {
        var items = Enumerable.Range(0, 20).ToList();
        var results = OrderedParallelDecoder.Run(items, i => i, 2, 8, CancellationToken.None, weight: _ => 1_000_000, budget: 10)
            .Select(r => r.Result).ToList();
        Assert.Equal(items, results);
    }
}
