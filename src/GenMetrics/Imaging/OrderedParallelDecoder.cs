namespace GenMetrics.Imaging;

/// <summary>
/// Runs a decode function over a list in parallel and yields the results in list order, with at most
/// <c>capacity</c> results (finished or running) held at once, so memory stays bounded for any list length.
/// </summary>
/// <remarks>
/// Work starts in list order through a FIFO gate of <c>maxDegreeOfParallelism</c> slots; the consumer waits for
/// the oldest item. A failure is rethrown when the consumer reaches that item. Stopping the enumeration early
/// cancels the items not yet started and waits for the running ones.
/// </remarks>
internal static class OrderedParallelDecoder
{
    public static IEnumerable<(TItem Item, TResult Result)> Run<TItem, TResult>(
        IReadOnlyList<TItem> items, Func<TItem, TResult> decode, int maxDegreeOfParallelism, int capacity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(decode);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        int dop = maxDegreeOfParallelism <= 0 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        return Iterate(items, decode, dop, Math.Max(capacity, 1), ct);
    }

    private static IEnumerable<(TItem, TResult)> Iterate<TItem, TResult>(
        IReadOnlyList<TItem> items, Func<TItem, TResult> decode, int dop, int capacity, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var gate = new SemaphoreSlim(dop, dop);
        var pending = new Queue<(TItem Item, Task<TResult> Task)>();
        int next = 0;
        try
        {
            while (next < items.Count && pending.Count < capacity) pending.Enqueue(Start(items[next++]));
            while (pending.Count > 0)
            {
                var (item, task) = pending.Dequeue();
                TResult result = task.GetAwaiter().GetResult();
                if (next < items.Count) pending.Enqueue(Start(items[next++]));
                yield return (item, result);
            }
        }
        finally
        {
            cts.Cancel();
            foreach (var (_, task) in pending)
            {
                try
                {
                    task.Wait(CancellationToken.None);
                }
                catch (AggregateException)
                {
                    // cancelled or failed after the consumer stopped: nobody wants the result
                }
            }
        }

        (TItem, Task<TResult>) Start(TItem item)
        {
            var token = cts.Token;
            return (item, Task.Run(async () =>
            {
                await gate.WaitAsync(token).ConfigureAwait(false);
                try
                {
                    token.ThrowIfCancellationRequested();
                    return decode(item);
                }
                finally
                {
                    gate.Release();
                }
            }, token));
        }
    }
}
