using GenMetrics.Imaging;

namespace GenMetrics.Metrics;

/// <summary>
/// Stateful PSNR over a set of pairs, giving both set-level figures: the mean of the per-pair PSNR values
/// (<see cref="Compute"/>, +∞ if any pair is identical) and the dataset-level PSNR of the pooled MSE
/// (<see cref="ComputeDatasetLevel"/> = 10·log10(255² / (Σ squared errors / Σ samples))).
/// </summary>
/// <remarks>Squared errors are summed as exact integers, so the dataset-level value does not depend on order or sharding.</remarks>
public sealed class PsnrAccumulator
{
    private readonly PerPairValues _values = new();
    private long _squaredErrors;
    private long _samples;

    /// <summary>Pairs seen.</summary>
    public int Count => _values.Count;

    /// <summary>Per-pair PSNR (dB) in update order.</summary>
    public IReadOnlyList<double> Values => _values.Values;

    /// <summary>Adds one pair.</summary>
    /// <exception cref="GenMetricsException">The sizes differ.</exception>
    public void Update(RgbImage reference, RgbImage distorted)
    {
        long sse = Psnr.SquaredErrorSum(reference, distorted);
        Add(sse, reference.Pixels.Length);
    }

    /// <summary>Adds one pair given its squared-error sum and sample count (e.g. from a parallel worker), in order.</summary>
    public void Add(long squaredErrorSum, long samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(squaredErrorSum);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samples);
        _values.Add(Psnr.FromMeanSquaredError((double)squaredErrorSum / samples));
        _squaredErrors += squaredErrorSum;
        _samples += samples;
    }

    /// <summary>Mean of the per-pair PSNR values in dB (+∞ if any pair is identical; NaN when empty).</summary>
    public double Compute() => _values.Mean();

    /// <summary>Dataset-level PSNR in dB from the MSE pooled over every sample of every pair (NaN when empty).</summary>
    public double ComputeDatasetLevel() =>
        _samples == 0 ? double.NaN : Psnr.FromMeanSquaredError((double)_squaredErrors / _samples);

    /// <summary>Forgets every pair.</summary>
    public void Reset()
    {
        _values.Clear();
        _squaredErrors = 0;
        _samples = 0;
    }

    /// <summary>Appends the pairs of <paramref name="other"/> after this one's.</summary>
    public void Merge(PsnrAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _values.AddRange(other._values);
        _squaredErrors += other._squaredErrors;
        _samples += other._samples;
    }
}
