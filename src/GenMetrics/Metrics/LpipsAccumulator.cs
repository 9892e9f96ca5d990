using GenMetrics.Imaging;

namespace GenMetrics.Metrics;

/// <summary>Stateful LPIPS over a set of pairs: the mean of the per-pair <see cref="Lpips"/> distances.</summary>
/// <remarks>
/// The network is borrowed, not owned (dispose the <see cref="Lpips"/> yourself). Values are kept in update order
/// and the mean is a float64 sum in that order, so one pass, many batches and shards merged in order give the same
/// bits (per-pair distances do not depend on the batch they ran in).
/// </remarks>
public sealed class LpipsAccumulator(Lpips lpips)
{
    private readonly PerPairValues _values = new();

    /// <summary>The network the pairs are measured with.</summary>
    public Lpips Lpips { get; } = lpips ?? throw new ArgumentNullException(nameof(lpips));

    /// <summary>Pairs seen.</summary>
    public int Count => _values.Count;

    /// <summary>Per-pair distances in update order.</summary>
    public IReadOnlyList<double> Values => _values.Values;

    /// <summary>Adds one pair.</summary>
    public void Update(RgbImage reference, RgbImage distorted) => _values.Add(Lpips.Distance(reference, distorted));

    /// <summary>Adds several pairs (equal sizes batched together), in order.</summary>
    public void Update(IReadOnlyList<(RgbImage Reference, RgbImage Distorted)> pairs)
    {
        foreach (LpipsDistance d in Lpips.Compute(pairs)) _values.Add(d.Value);
    }

    /// <summary>Adds a distance computed elsewhere, in order.</summary>
    public void Add(double distance) => _values.Add(distance);

    /// <summary>Mean distance over the pairs (NaN when empty).</summary>
    public double Compute() => _values.Mean();

    /// <summary>Forgets every pair.</summary>
    public void Reset() => _values.Clear();

    /// <summary>Appends the pairs of <paramref name="other"/> (same trunk) after this one's.</summary>
    public void Merge(LpipsAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Lpips.Network != Lpips.Network) throw new ArgumentException("cannot merge LPIPS accumulators of different trunks", nameof(other));
        _values.AddRange(other._values);
    }
}
