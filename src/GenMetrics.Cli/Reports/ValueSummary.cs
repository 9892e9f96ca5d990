namespace GenMetrics.Cli.Reports;

/// <summary>Order statistics of per-pair values; percentiles interpolate linearly between order statistics (numpy's default).</summary>
internal sealed class ValueSummary
{
    private readonly double[] _sorted;

    /// <param name="values">The values; +∞ (PSNR of identical pairs) sorts last and counts, NaN is not expected.</param>
    public ValueSummary(IEnumerable<double> values)
    {
        _sorted = [.. values];
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double Min => _sorted[0];

    public double Max => _sorted[^1];

    public double Median => Percentile(50);

    /// <summary>Arithmetic mean (in sorted order, so it is the same for any input order).</summary>
    public double Mean => _sorted.Sum() / _sorted.Length;

    /// <summary>Population standard deviation, or NaN when a value is infinite.</summary>
    public double StandardDeviation
    {
        get
        {
            double mean = Mean;
            return Math.Sqrt(_sorted.Sum(v => (v - mean) * (v - mean)) / _sorted.Length);
        }
    }

    /// <summary>numpy <c>percentile(values, q)</c> with linear interpolation, q in [0, 100].</summary>
    public double Percentile(double q)
    {
        double position = q / 100.0 * (_sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, _sorted.Length - 1);
        double fraction = position - lower;
        double a = _sorted[lower], b = _sorted[upper];
        if (fraction == 0 || a == b) return a;
        return a + (b - a) * fraction;
    }
}
