namespace GenMetrics.Metrics;

/// <summary>
/// Per fake sample: the m nearest real samples seen so far (squared float64 distance, real index; ascending, ties to
/// the smaller index) and the smallest (d(f, r) / radius(r))². Fed one real row of squared distances at a time by
/// <see cref="KNearestManifolds"/>; partial trackers of different threads merge into the same result whatever
/// the order, because both orders are total.
/// </summary>
internal sealed class NearestRealTracker
{
    private readonly int _nFake;
    private readonly int _m;
    private readonly double[] _distance;
    private readonly int[] _index;
    private readonly double[] _ratio;

    public NearestRealTracker(int nFake, int m)
    {
        _nFake = nFake;
        _m = m;
        _distance = new double[(long)nFake * m];
        _index = new int[(long)nFake * m];
        _ratio = new double[nFake];
        _distance.AsSpan().Fill(double.PositiveInfinity);
        _index.AsSpan().Fill(int.MaxValue);
        _ratio.AsSpan().Fill(double.PositiveInfinity);
    }

    /// <summary>Takes real sample <paramref name="realIndex"/>'s squared distances to every fake sample.</summary>
    /// <param name="realIndex">Row of the real sample.</param>
    /// <param name="squared">Its squared distances to fake samples 0..nFake-1.</param>
    /// <param name="radius">Its k-NN radius in the convention's distance.</param>
    /// <remarks>
    /// Works on squared values, so the loop has no square root and no division: the smallest squared ratio
    /// d² · (1/r²) and the nearest squared distances; <see cref="ToResult"/> takes the roots once per fake sample.
    /// </remarks>
    public void AddRealRow(int realIndex, ReadOnlySpan<double> squared, double radius)
    {
        squared = squared[.._nFake];
        if (radius > 0)
        {
            double inverseSquaredRadius = 1.0 / (radius * radius);
            for (int j = 0; j < squared.Length; j++)
            {
                double sq = squared[j];
                double ratio = sq * inverseSquaredRadius;
                if (ratio < _ratio[j]) _ratio[j] = ratio;
                if (sq <= _distance[j * _m + _m - 1]) Insert(j, sq, realIndex);
            }
            return;
        }
        // A zero radius (duplicate real samples): ratio 0 for a coincident fake sample, +∞ otherwise.
        for (int j = 0; j < squared.Length; j++)
        {
            double sq = squared[j];
            if (sq == 0) _ratio[j] = 0;
            if (sq <= _distance[j * _m + _m - 1]) Insert(j, sq, realIndex);
        }
    }

    /// <summary>Folds another tracker (other real rows) into this one.</summary>
    public void Merge(NearestRealTracker other)
    {
        for (int j = 0; j < _nFake; j++)
        {
            if (other._ratio[j] < _ratio[j]) _ratio[j] = other._ratio[j];
            for (int p = 0; p < _m; p++)
            {
                int at = j * _m + p;
                if (other._index[at] == int.MaxValue) break;
                Insert(j, other._distance[at], other._index[at]);
            }
        }
    }

    /// <summary>The result: square roots of the squared distances and ratios, and a copy of the precision membership.</summary>
    public FakeManifoldNeighbours ToResult(KNearestManifolds.Request request, bool[] inside)
    {
        var distance = Array.ConvertAll(_distance, Math.Sqrt);
        var ratio = Array.ConvertAll(_ratio, Math.Sqrt);
        return new(request.K, request.Convention, _m, _index, distance, ratio, (bool[])inside.Clone());
    }

    private void Insert(int fake, double distance, int realIndex)
    {
        int row = fake * _m;
        int last = row + _m - 1;
        if (!Before(distance, realIndex, _distance[last], _index[last])) return;
        int p = last;
        while (p > row && Before(distance, realIndex, _distance[p - 1], _index[p - 1]))
        {
            _distance[p] = _distance[p - 1];
            _index[p] = _index[p - 1];
            p--;
        }
        _distance[p] = distance;
        _index[p] = realIndex;
    }

    private static bool Before(double d1, int i1, double d2, int i2) => d1 < d2 || (d1 == d2 && i1 < i2);
}
