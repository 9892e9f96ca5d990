using GenMetrics.Imaging;

namespace GenMetrics.Metrics;

/// <summary>Stateful MS-SSIM over a set of pairs: the mean of the per-pair <see cref="MsSsim.Compute"/> values.</summary>
/// <remarks>Values are kept in update order; <see cref="Merge"/> appends, so shards merged in order reproduce one pass exactly.</remarks>
public sealed class MsSsimAccumulator
{
    private readonly PerPairValues _values = new();

    /// <summary>Pairs seen.</summary>
    public int Count => _values.Count;

    /// <summary>Per-pair MS-SSIM in update order.</summary>
    public IReadOnlyList<double> Values => _values.Values;

    /// <summary>Adds one pair.</summary>
    public void Update(RgbImage reference, RgbImage distorted) => _values.Add(MsSsim.Compute(reference, distorted));

    /// <summary>Adds a value computed elsewhere (e.g. by a parallel worker), in order.</summary>
    public void Add(double msSsim) => _values.Add(msSsim);

    /// <summary>Mean MS-SSIM over the pairs (NaN when empty).</summary>
    public double Compute() => _values.Mean();

    /// <summary>Forgets every pair.</summary>
    public void Reset() => _values.Clear();

    /// <summary>Appends the pairs of <paramref name="other"/> after this one's.</summary>
    public void Merge(MsSsimAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _values.AddRange(other._values);
    }
}
