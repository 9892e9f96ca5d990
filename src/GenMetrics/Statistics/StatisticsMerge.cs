namespace GenMetrics.Statistics;

/// <summary>
/// Combines the (n, μ, Σ) of disjoint sample sets into those of their union with the pairwise update of Chan,
/// Golub and LeVeque (1979): no raw sums are needed, and no Σxxᵀ − n μμᵀ cancellation occurs.
/// </summary>
/// <remarks>
/// With M2 = Σ (n − 1) (the centred sum of outer products): n = na + nb, δ = μb − μa, μ = μa + δ nb / n,
/// M2 = M2a + M2b + δδᵀ na nb / n, Σ = M2 / (n − 1). The float32 row-order sums that give torch-fidelity's μ
/// are added in float32, as <see cref="FeatureStatistics.Merge"/> adds them.
/// </remarks>
internal sealed class StatisticsMerge
{
    private readonly double[] _mean;
    private readonly double[] _m2;
    private readonly float[]? _sumFloat32;
    private readonly GaussianStatistics _first;
    private long _count;

    /// <summary>Starts from the first part; <paramref name="sumFloat32"/> is its float32 row-order sum, when stored.</summary>
    public StatisticsMerge(GaussianStatistics first, float[]? sumFloat32)
    {
        ArgumentNullException.ThrowIfNull(first);
        _count = RequireCount(first);
        _first = first;
        _mean = (double[])first.Mean.Clone();
        _m2 = (double[])first.Covariance.Clone();
        double scale = _count - 1;
        for (long i = 0; i < _m2.LongLength; i++) _m2[i] *= scale;
        _sumFloat32 = (float[]?)(sumFloat32 ?? ApproximateSumFloat32(first))?.Clone();
        Provenance = first.Provenance;
    }

    /// <summary>Feature dimension d.</summary>
    public int Dimension => _mean.Length;

    /// <summary>The provenance of the first part (the caller checks the others against it).</summary>
    public StatsProvenance Provenance { get; }

    /// <summary>Adds a disjoint part of the same dimension.</summary>
    public void Add(GaussianStatistics part, float[]? sumFloat32)
    {
        ArgumentNullException.ThrowIfNull(part);
        int d = Dimension;
        if (part.Dimension != d) throw new GenMetricsException($"cannot merge statistics of dimension {part.Dimension} into {d}");
        long na = _count, nb = RequireCount(part);
        long n = na + nb;
        double fraction = (double)nb / n;
        double weight = (double)na * nb / n;
        var delta = new double[d];
        for (int i = 0; i < d; i++) delta[i] = part.Mean[i] - _mean[i];
        double scale = nb - 1;
        var sigma = part.Covariance;
        for (int i = 0; i < d; i++)
        {
            long row = (long)i * d;
            double di = delta[i];
            for (int j = 0; j < d; j++) _m2[row + j] += (sigma[row + j] * scale) + (weight * (di * delta[j]));
        }
        for (int i = 0; i < d; i++) _mean[i] += delta[i] * fraction;
        if (_sumFloat32 is not null)
        {
            var other = sumFloat32 ?? ApproximateSumFloat32(part);
            for (int i = 0; i < d; i++) _sumFloat32[i] += other![i];
        }
        _count = n;
    }

    /// <summary>The statistics of the union (Σ normalised by n − 1), with its float32 μ and float32 row-order sum.</summary>
    public GaussianStatistics Result()
    {
        int d = Dimension;
        if (_count == _first.Count)
        {
            // One part: its μ and Σ as stored (Σ (n − 1) / (n − 1) could differ in the last bit).
            return new GaussianStatistics(_first.Mean, _first.Covariance, Provenance, _count, _first.MeanFloat32) { SumFloat32 = _sumFloat32 };
        }
        var sigma = (double[])_m2.Clone();
        double denominator = _count - 1;
        if (denominator > 0)
        {
            for (long i = 0; i < sigma.LongLength; i++) sigma[i] /= denominator;
        }
        float[]? meanFloat32 = null;
        if (_sumFloat32 is not null)
        {
            meanFloat32 = (float[])_sumFloat32.Clone();
            float nf = _count;
            for (int i = 0; i < d; i++) meanFloat32[i] /= nf;
        }
        return new GaussianStatistics((double[])_mean.Clone(), sigma, Provenance, _count, meanFloat32)
        {
            SumFloat32 = (float[]?)_sumFloat32?.Clone(),
        };
    }

    private static long RequireCount(GaussianStatistics part) =>
        part.Count ?? throw new GenMetricsException("statistics without a sample count n cannot be merged");

    /// <summary>A part without a stored float32 sum: the float32 of n μ (as a stats file with <c>sum</c> only implies).</summary>
    private static float[]? ApproximateSumFloat32(GaussianStatistics part)
    {
        if (part.Count is not long n) return null;
        var source = part.MeanFloat32;
        var sum = new float[part.Dimension];
        for (int i = 0; i < sum.Length; i++) sum[i] = source is null ? (float)(part.Mean[i] * n) : source[i] * n;
        return sum;
    }
}
