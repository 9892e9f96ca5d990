using GenMetrics.Imaging;

namespace GenMetrics.Metrics;

/// <summary>Stateful SSIM over a set of pairs: the mean of the per-pair <see cref="Ssim.Compute"/> values.</summary>
/// <remarks>Values are kept in update order; <see cref="Merge"/> appends, so shards merged in order reproduce one pass exactly.</remarks>
public sealed class SsimAccumulator(SsimWindow window = SsimWindow.Gaussian)
{
    private readonly PerPairValues _values = new();

    /// <summary>The SSIM convention.</summary>
    public SsimWindow Window { get; } = window;

    /// <summary>Pairs seen.</summary>
    public int Count => _values.Count;

    /// <summary>Per-pair SSIM in update order.</summary>
    public IReadOnlyList<double> Values => _values.Values;

    /// <summary>Adds one pair.</summary>
    public void Update(RgbImage reference, RgbImage distorted) => _values.Add(Ssim.Compute(reference, distorted, Window));

    /// <summary>Adds a value computed elsewhere (e.g. by a parallel worker), in order.</summary>
    public void Add(double ssim) => _values.Add(ssim);

    /// <summary>Mean SSIM over the pairs (NaN when empty).</summary>
    public double Compute() => _values.Mean();

    /// <summary>Forgets every pair.</summary>
    public void Reset() => _values.Clear();

    /// <summary>Appends the pairs of <paramref name="other"/> (same window) after this one's.</summary>
    public void Merge(SsimAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Window != Window) throw new ArgumentException("cannot merge SSIM accumulators with different windows", nameof(other));
        _values.AddRange(other._values);
    }
}
