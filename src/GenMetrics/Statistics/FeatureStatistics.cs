using GenMetrics.Numerics;

namespace GenMetrics.Statistics;

/// <summary>How the covariance is normalised.</summary>
public enum CovarianceNormalization
{
    /// <summary>Divide by N−1 (np.cov; pytorch-fid, torch-fidelity, clean-fid).</summary>
    SampleNMinus1,

    /// <summary>Divide by N (StyleGAN3's population covariance).</summary>
    PopulationN,
}

/// <summary>
/// Streaming float64 accumulator of n, Σx and ΣxxᵀT over feature rows: memory O(d²) whatever the number of
/// rows; mergeable (<see cref="Merge"/> of shards equals one pass over their union up to float64 rounding).
/// </summary>
/// <remarks>
/// Rows are buffered into fixed blocks of 256 and added with one symmetric rank-256 update
/// (<c>ΣxxT += XᵀX</c>, upper triangle, <see cref="MatrixProduct"/>), so the summation order depends neither on
/// how the caller batches rows nor on the thread count. μ = Σx/n; Σ = (ΣxxT − Σx·Σxᵀ/n)/(n−1) (or /n).
/// A float32 running sum is also kept, in row order, because torch-fidelity's μ is <c>np.mean</c> of float32
/// features, which numpy accumulates row by row in float32 (reproduced exactly for a single pass).
/// </remarks>
public sealed class FeatureStatistics
{
    private const int Block = 256;
    private readonly double[] _sum;
    private readonly float[] _sumFloat32;
    private readonly double[] _sumXxT;
    private readonly double[] _buffer;
    private int _buffered;
    private long _count;

    /// <summary>Creates an empty accumulator for d-dimensional features.</summary>
    public FeatureStatistics(int dimension)
    {
        if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(dimension));
        Dimension = dimension;
        _sum = new double[dimension];
        _sumFloat32 = new float[dimension];
        _sumXxT = new double[(long)dimension * dimension];
        _buffer = new double[Block * dimension];
    }

    /// <summary>Creates an accumulator from stored sums (a stats file).</summary>
    public FeatureStatistics(long count, double[] sum, double[] sumXxT, float[]? sumFloat32 = null) : this(sum.Length)
    {
        if (sumXxT.Length != (long)sum.Length * sum.Length) throw new GenMetricsException($"sum_xxT has {sumXxT.Length} values, expected {sum.Length}²");
        _count = count;
        sum.CopyTo(_sum, 0);
        sumXxT.CopyTo(_sumXxT, 0);
        if (sumFloat32 is not null) sumFloat32.CopyTo(_sumFloat32, 0);
        else for (int i = 0; i < sum.Length; i++) _sumFloat32[i] = (float)sum[i];
    }

    /// <summary>
    /// The accumulator that n, μ and Σ (normalised by n − 1) determine: Σx = n μ, Σxxᵀ = (n − 1) Σ + n μμᵀ (exact up
    /// to float64 rounding); <paramref name="sumFloat32"/> is the float32 row-order sum when known, else the float32
    /// of Σx.
    /// </summary>
    internal static FeatureStatistics FromMoments(long count, double[] mean, double[] covariance, float[]? sumFloat32)
    {
        int d = mean.Length;
        var sum = new double[d];
        for (int i = 0; i < d; i++) sum[i] = mean[i] * count;
        var sumXxT = new double[(long)d * d];
        double scale = count - 1;
        for (int i = 0; i < d; i++)
        {
            long row = (long)i * d;
            for (int j = 0; j < d; j++) sumXxT[row + j] = (covariance[row + j] * scale) + (count * (mean[i] * mean[j]));
        }
        return new FeatureStatistics(count, sum, sumXxT, sumFloat32);
    }

    /// <summary>Feature dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Number of rows added.</summary>
    public long Count => _count + _buffered;

    /// <summary>Adds rows of float32 features (row-major, <c>rows.Length</c> a multiple of d).</summary>
    public void Add(ReadOnlySpan<float> rows) => AddRows(rows);

    /// <summary>Adds rows of float64 features (row-major, <c>rows.Length</c> a multiple of d).</summary>
    public void Add(ReadOnlySpan<double> rows) => AddRows(rows);

    /// <summary>
    /// Buffers rows as float64 and keeps the float32 row-order sum (torch-fidelity's μ): a float32 value is added
    /// as is, a float64 value rounded to float32 first — the same as the explicit casts of the two overloads.
    /// </summary>
    private void AddRows<T>(ReadOnlySpan<T> rows) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        int d = Dimension;
        if (rows.Length % d != 0) throw new GenMetricsException($"feature rows have {rows.Length} values, not a multiple of the dimension {d}");
        for (int r = 0; r < rows.Length / d; r++)
        {
            var row = rows.Slice(r * d, d);
            var dst = _buffer.AsSpan(_buffered * d, d);
            for (int j = 0; j < d; j++)
            {
                T x = row[j];
                if (!T.IsFinite(x)) throw new GenMetricsException($"feature row {Count} has a NaN or infinite value in dimension {j}; check the features");
                dst[j] = double.CreateTruncating(x);
                _sumFloat32[j] += float.CreateTruncating(x);
            }
            Advance();
        }
    }

    private void Advance()
    {
        _buffered++;
        if (_buffered == Block) Flush();
    }

    private void Flush()
    {
        if (_buffered == 0) return;
        int d = Dimension;
        for (int r = 0; r < _buffered; r++)
        {
            var row = _buffer.AsSpan(r * d, d);
            for (int j = 0; j < d; j++) _sum[j] += row[j];
        }
        MatrixProduct.MultiplyAdd(_buffer, 0, d, true, _buffer, 0, d, false, _sumXxT, 0, d, d, d, _buffered, upperOnly: true);
        _count += _buffered;
        _buffered = 0;
    }

    /// <summary>Forgets every row added (back to the empty state).</summary>
    public void Reset()
    {
        _count = 0;
        _buffered = 0;
        Array.Clear(_sum);
        Array.Clear(_sumFloat32);
        Array.Clear(_sumXxT);
    }

    /// <summary>Adds another accumulator's rows (same dimension) to this one.</summary>
    public void Merge(FeatureStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Dimension != Dimension) throw new GenMetricsException($"cannot merge statistics of dimension {other.Dimension} into {Dimension}");
        Flush();
        other.Flush();
        _count += other._count;
        for (int j = 0; j < Dimension; j++)
        {
            _sum[j] += other._sum[j];
            _sumFloat32[j] += other._sumFloat32[j];
        }
        var a = _sumXxT;
        var b = other._sumXxT;
        int d = Dimension;
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++) a[(long)i * d + j] += b[(long)i * d + j];
        }
    }

    /// <summary>Σx (float64).</summary>
    public double[] Sum()
    {
        Flush();
        return (double[])_sum.Clone();
    }

    /// <summary>The float32 row-order running sum (torch-fidelity's μ numerator).</summary>
    public float[] SumFloat32()
    {
        Flush();
        return (float[])_sumFloat32.Clone();
    }

    /// <summary>ΣxxT as a full symmetric d×d row-major matrix.</summary>
    public double[] SumOfOuterProducts()
    {
        Flush();
        int d = Dimension;
        var full = new double[(long)d * d];
        for (int i = 0; i < d; i++)
        {
            for (int j = i; j < d; j++)
            {
                double v = _sumXxT[(long)i * d + j];
                full[(long)i * d + j] = v;
                full[(long)j * d + i] = v;
            }
        }
        return full;
    }

    /// <summary>μ = Σx / n in float64 (pytorch-fid's <c>np.mean</c> on float64 features).</summary>
    public double[] Mean()
    {
        RequireRows(1);
        var mu = Sum();
        for (int j = 0; j < mu.Length; j++) mu[j] /= Count;
        return mu;
    }

    /// <summary>torch-fidelity's μ: the float32 row-order sum divided by n in float32.</summary>
    public float[] MeanFloat32()
    {
        RequireRows(1);
        var s = SumFloat32();
        float n = Count;
        for (int j = 0; j < s.Length; j++) s[j] /= n;
        return s;
    }

    /// <summary>Σ = (ΣxxT − Σx·Σxᵀ/n)/(n−1) (or /n), full d×d row-major.</summary>
    public double[] Covariance(CovarianceNormalization normalization = CovarianceNormalization.SampleNMinus1)
    {
        RequireRows(2);
        var s = SumOfOuterProducts();
        var sum = _sum;
        long n = Count;
        double denom = normalization == CovarianceNormalization.SampleNMinus1 ? n - 1 : n;
        int d = Dimension;
        for (int i = 0; i < d; i++)
        {
            double si = sum[i] / n;
            for (int j = 0; j < d; j++) s[(long)i * d + j] = (s[(long)i * d + j] - si * sum[j]) / denom;
        }
        return s;
    }

    private void RequireRows(int min)
    {
        if (Count < min) throw new GenMetricsException($"statistics need at least {min} samples, got {Count}; provide more images or features");
    }
}
