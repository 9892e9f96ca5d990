using System.Numerics;
using GenMetrics.Numerics;

namespace GenMetrics.Metrics;

/// <summary>
/// The shared engine of precision/recall and density/coverage: k-NN radii of each set (the (k+1)-th
/// smallest distance counting the point itself) and one pass over the real×fake distances that evaluates
/// every requested (k, convention) at once. Counts are integers, so results are exact and independent of
/// block size and thread count. The rows are float64, or float32 read as float64 (the same bits as their copies).
/// </summary>
internal static class KNearestManifolds
{
    /// <summary>One requested evaluation.</summary>
    internal sealed record Request(int K, NeighbourhoodConvention Convention);

    /// <summary>Counts for one request.</summary>
    internal sealed record Counts(int FakeInRealBalls, int RealInFakeBalls, long FakeBallMemberships, int CoveredReal, int NReal, int NFake);

    public static Counts[] Evaluate<TSource>(TSource[] real, int nReal, TSource[] fake, int nFake, int d, IReadOnlyList<Request> requests, int maxThreads = -1)
        where TSource : unmanaged, IFloatingPointIeee754<TSource> =>
        Evaluate(real, nReal, fake, nFake, d, requests, 0, out _, maxThreads);

    /// <summary>
    /// As <see cref="Evaluate{TSource}(TSource[], int, TSource[], int, int, IReadOnlyList{Request}, int)"/>; with
    /// <paramref name="neighboursPerFake"/> &gt; 0 the same pass also records, for every fake sample, its nearest real
    /// samples and its manifold ratio against the radii of <paramref name="requests"/>[0] (null otherwise).
    /// </summary>
    public static Counts[] Evaluate<TSource>(TSource[] real, int nReal, TSource[] fake, int nFake, int d, IReadOnlyList<Request> requests,
        int neighboursPerFake, out FakeManifoldNeighbours? neighbours, int maxThreads = -1)
        where TSource : unmanaged, IFloatingPointIeee754<TSource>
    {
        int kMax = requests.Max(r => r.K);
        if (kMax < 1) throw new GenMetricsException($"k must be at least 1, got {kMax}") { ParameterName = "k" };
        if (kMax + 1 > nReal || kMax + 1 > nFake)
        {
            throw new GenMetricsException($"k = {kMax} needs more than {kMax} samples per set (got {nReal} real, {nFake} fake); lower k or add samples") { ParameterName = "k" };
        }
        var realSmallest = SmallestPerRow(real, nReal, d, kMax + 1, maxThreads);
        var fakeSmallest = SmallestPerRow(fake, nFake, d, kMax + 1, maxThreads);
        int q = requests.Count;
        var realRadius = new double[q][];
        var fakeRadius = new double[q][];
        for (int t = 0; t < q; t++)
        {
            realRadius[t] = Radii(realSmallest, nReal, kMax + 1, requests[t]);
            fakeRadius[t] = Radii(fakeSmallest, nFake, kMax + 1, requests[t]);
        }
        var precisionHit = new bool[q][];
        var densityCount = new int[q][];
        var recallHit = new bool[q][];
        var covered = new bool[q][];
        for (int t = 0; t < q; t++)
        {
            precisionHit[t] = new bool[nFake];
            densityCount[t] = new int[nFake];
            recallHit[t] = new bool[nReal];
            covered[t] = new bool[nReal];
        }
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount };
        var gate = new object();
        int m = Math.Min(neighboursPerFake, nReal);
        // Trackers keep their partial results from block to block (min and top-m are order-free), so there are
        // only as many as threads ran at once; they are merged once at the end.
        var trackers = m > 0 ? new System.Collections.Concurrent.ConcurrentBag<NearestRealTracker>() : null;
        PairwiseDistanceBlocks.ForEachBlock(real, nReal, fake, nFake, d, sameSet: false, (start, rows, block) =>
        {
            Parallel.For(0, rows, parallel,
                () => (Hits: NewArrays<bool>(q, nFake), Counts: NewArrays<int>(q, nFake), Near: trackers is null ? null : trackers.TryTake(out var near) ? near : new NearestRealTracker(nFake, m)),
                (r, _, local) =>
                {
                    local.Near?.AddRealRow(start + r, block.AsSpan((int)((long)r * nFake), nFake), realRadius[0][start + r]);
                    int i = start + r;
                    long rowBase = (long)r * nFake;
                    for (int t = 0; t < q; t++)
                    {
                        var convention = requests[t].Convention;
                        bool inclusive = convention != NeighbourhoodConvention.Prdc;
                        double rr = realRadius[t][i];
                        double[] rf = fakeRadius[t];
                        bool anyRecall = false;
                        double min = double.PositiveInfinity;
                        bool[] hits = local.Hits[t];
                        int[] counts = local.Counts[t];
                        for (int j = 0; j < nFake; j++)
                        {
                            double dist = Distance(block[rowBase + j], convention);
                            bool inReal = inclusive ? dist <= rr : dist < rr;
                            if (inReal)
                            {
                                hits[j] = true;
                                counts[j]++;
                            }
                            if (inclusive ? dist <= rf[j] : dist < rf[j]) anyRecall = true;
                            if (dist < min) min = dist;
                        }
                        recallHit[t][i] = anyRecall;
                        covered[t][i] = min < rr;
                    }
                    return local;
                },
                local =>
                {
                    if (local.Near is not null) trackers!.Add(local.Near);
                    lock (gate)
                    {
                        for (int t = 0; t < q; t++)
                        {
                            for (int j = 0; j < nFake; j++)
                            {
                                precisionHit[t][j] |= local.Hits[t][j];
                                densityCount[t][j] += local.Counts[t][j];
                            }
                        }
                    }
                });
        }, maxThreads);
        neighbours = null;
        if (trackers is not null)
        {
            var all = trackers.ToArray();
            var merged = all.Length > 0 ? all[0] : new NearestRealTracker(nFake, m);
            for (int i = 1; i < all.Length; i++) merged.Merge(all[i]);
            neighbours = merged.ToResult(requests[0], precisionHit[0]);
        }
        var result = new Counts[q];
        for (int t = 0; t < q; t++)
        {
            result[t] = new Counts(precisionHit[t].Count(h => h), recallHit[t].Count(h => h),
                densityCount[t].Sum(c => (long)c), covered[t].Count(c => c), nReal, nFake);
        }
        return result;
    }

    private static T[][] NewArrays<T>(int q, int n)
    {
        var a = new T[q][];
        for (int t = 0; t < q; t++) a[t] = new T[n];
        return a;
    }

    /// <summary>
    /// The compared quantity from a squared distance: the float64 sqrt (prdc), the sqrt rounded to float32
    /// (torch-fidelity's dtype) or the squared distance rounded to float32 (ADM).
    /// </summary>
    private static double Distance(double squared, NeighbourhoodConvention convention) => convention switch
    {
        NeighbourhoodConvention.TorchFidelity => (float)Math.Sqrt(squared),
        NeighbourhoodConvention.Adm => (float)squared,
        _ => Math.Sqrt(squared),
    };

    private static double[] Radii(double[] smallest, int n, int width, Request request)
    {
        var radii = new double[n];
        for (int i = 0; i < n; i++) radii[i] = Distance(smallest[(long)i * width + request.K], request.Convention);
        return radii;
    }

    /// <summary>The k-NN radius of every row of <paramref name="x"/> within its own set, in the units <paramref name="convention"/> compares.</summary>
    internal static double[] ManifoldRadii<TSource>(TSource[] x, int n, int d, int k, NeighbourhoodConvention convention, int maxThreads = -1)
        where TSource : unmanaged, IFloatingPointIeee754<TSource>
    {
        if (k < 1 || k + 1 > n) throw new GenMetricsException($"k = {k} needs more than {k} samples, got {n}");
        return Radii(SmallestPerRow(x, n, d, k + 1, maxThreads), n, k + 1, new Request(k, convention));
    }

    /// <summary>For each row, the <paramref name="count"/> smallest squared distances to the same set (self included), ascending.</summary>
    private static double[] SmallestPerRow<TSource>(TSource[] x, int n, int d, int count, int maxThreads)
        where TSource : unmanaged, IFloatingPointIeee754<TSource>
    {
        var result = new double[(long)n * count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount };
        PairwiseDistanceBlocks.ForEachBlock(x, n, x, n, d, sameSet: true, (start, rows, block) =>
        {
            Parallel.For(0, rows, parallel, r =>
            {
                var best = result.AsSpan((int)((long)(start + r) * count), count);
                best.Fill(double.PositiveInfinity);
                var row = block.AsSpan((int)((long)r * n), n);
                foreach (double v in row)
                {
                    if (v >= best[count - 1]) continue;
                    int p = count - 1;
                    while (p > 0 && best[p - 1] > v)
                    {
                        best[p] = best[p - 1];
                        p--;
                    }
                    best[p] = v;
                }
            });
        }, maxThreads);
        return result;
    }
}
