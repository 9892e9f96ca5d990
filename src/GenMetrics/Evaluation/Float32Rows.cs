namespace GenMetrics.Evaluation;

/// <summary>
/// Float32 rows as the metrics read them in place, <see cref="Values"/>[0..<see cref="Count"/>): the features and logits a
/// <see cref="DistributionEvaluator"/> keeps (appended in order into one growable array), or those of a float32 input
/// (network outputs, a float32 .npy).
/// </summary>
internal sealed class Float32Rows
{
    private float[] _values;

    /// <summary>Empty rows, to be appended to.</summary>
    public Float32Rows() => _values = [];

    /// <summary>Rows that are the whole of <paramref name="values"/> (taken, not copied).</summary>
    public Float32Rows(float[] values)
    {
        _values = values;
        Count = values.Length;
    }

    /// <summary>The backing array; only its first <see cref="Count"/> values are rows.</summary>
    public float[] Values => _values;

    /// <summary>Values held (rows × columns).</summary>
    public int Count { get; private set; }

    /// <summary>The values held, in order.</summary>
    public ReadOnlySpan<float> AsSpan() => _values.AsSpan(0, Count);

    /// <summary>Appends values; the array grows by doubling, up to the largest array .NET allows.</summary>
    /// <exception cref="GenMetricsException">More values than one array can hold.</exception>
    public void Add(ReadOnlySpan<float> values)
    {
        long needed = (long)Count + values.Length;
        if (needed > Array.MaxLength)
        {
            throw new GenMetricsException($"{needed} feature values are more than one array can hold; evaluate fewer samples or merge shards of statistics");
        }
        if (needed > _values.Length)
        {
            long grown = Math.Max(needed, Math.Min(Array.MaxLength, Math.Max(1024L, 2L * _values.Length)));
            Array.Resize(ref _values, (int)grown);
        }
        values.CopyTo(_values.AsSpan(Count));
        Count = (int)needed;
    }
}
