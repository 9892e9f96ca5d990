namespace GenMetrics.Imaging;

/// <summary>
/// Runs a decode function over a list in parallel and yields the results in list order, with at most
/// <c>capacity</c> results (finished or running) held at once and, when a weight is given, at most about
/// <c>budget</c> bytes of finished results waiting for the consumer, so memory stays bounded for any list length
/// and any image size.
/// </summary>
/// <remarks>
/// Items start in list order, at most <c>maxDegreeOfParallelism</c> at a time. A new item starts only while the
/// finished, not yet consumed results weigh less than the budget, except the item the consumer waits for, which
/// always starts (so one item larger than the budget cannot stall the run). Memory held is therefore at most
/// budget + 2·maxDegreeOfParallelism × the largest item: the results below the budget when the last item started,
/// plus the items that were running then. Nothing blocks a thread pool thread: items are started only when they
/// can run. A failure is rethrown when the consumer reaches that item. Stopping the enumeration early starts
/// nothing more and waits for the running items.
/// </remarks>
internal static class OrderedParallelDecoder
{
    public static IEnumerable<(TItem Item, TResult Result)> Run<TItem, TResult>(
        IReadOnlyList<TItem> items, Func<TItem, TResult> decode, int maxDegreeOfParallelism, int capacity, CancellationToken ct,
        Func<TResult, long>? weight = null, long budget = long.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(decode);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(budget);
        int dop = maxDegreeOfParallelism <= 0 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        return Iterate(items, decode, dop, capacity, weight ?? (_ => 0), budget, ct);
    }

    private static IEnumerable<(TItem, TResult)> Iterate<TItem, TResult>(IReadOnlyList<TItem> items, Func<TItem, TResult> decode,
        int dop, int capacity, Func<TResult, long> weight, long budget, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var sync = new object();
        var pending = new Queue<(TItem Item, Task<TResult> Task)>();
        int next = 0, consumed = 0, running = 0;
        long held = 0; // weight of finished results not yet consumed
        bool stopped = false;
        try
        {
            lock (sync) StartMore();
            while (true)
            {
                (TItem Item, Task<TResult> Task) head;
                lock (sync)
                {
                    if (pending.Count == 0) break;
                    head = pending.Peek();
                }
                // Wait without inlining: Task.Wait would run a not yet started item on this thread, serialising the work.
                ((IAsyncResult)head.Task).AsyncWaitHandle.WaitOne();
                TResult result = head.Task.GetAwaiter().GetResult();
                lock (sync)
                {
                    pending.Dequeue();
                    consumed++;
                    held -= weight(result);
                    StartMore();
                }
                yield return (head.Item, result);
            }
        }
        finally
        {
            Task[] left;
            lock (sync)
            {
                stopped = true;
                cts.Cancel();
                left = pending.Select(p => (Task)p.Task).ToArray();
            }
            foreach (var task in left)
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

        // Called under the lock: starts every item that may start now.
        void StartMore()
        {
            while (!stopped && next < items.Count && running < dop && pending.Count < capacity && (held < budget || next == consumed))
            {
                TItem item = items[next++];
                running++;
                var token = cts.Token;
                pending.Enqueue((item, Task.Factory.StartNew(() =>
                {
                    try
                    {
                        token.ThrowIfCancellationRequested();
                        TResult result = decode(item);
                        lock (sync) held += weight(result);
                        return result;
                    }
                    finally
                    {
                        lock (sync)
                        {
                            running--;
                            StartMore();
                        }
                    }
                }, CancellationToken.None, TaskCreationOptions.PreferFairness, TaskScheduler.Default)));
            }
        }
    }
}
