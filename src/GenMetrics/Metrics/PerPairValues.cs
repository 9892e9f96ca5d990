namespace GenMetrics.Metrics;

/// <summary>
/// The per-pair values of a pair metric, in update order; the mean is summed in that order, so one pass, many
/// batches and a merge of ordered shards all give the same bits.
/// </summary>
internal sealed class PerPairValues
{
    private readonly List<double> _values = [];

    public IReadOnlyList<double> Values => _values;

    public int Count => _values.Count;

    public void Add(double value) => _values.Add(value);

    public void AddRange(PerPairValues other) => _values.AddRange(other._values);

    public void Clear() => _values.Clear();

    /// <summary>Arithmetic mean in order; NaN when empty; +∞ when any value is +∞ (identical PSNR pairs).</summary>
    public double Mean()
    {
        if (_values.Count == 0) return double.NaN;
        double sum = 0;
        foreach (double v in _values) sum += v;
        return sum / _values.Count;
    }
}
