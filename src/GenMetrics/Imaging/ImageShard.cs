namespace GenMetrics.Imaging;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> of a sorted image input: the contiguous block
/// [⌊Index·n/Count⌋, ⌊(Index+1)·n/Count⌋) of its n entries. Every image lies in exactly one shard, and the
/// partition depends only on the sorted entry list, never on threads or batch size, so N workers on N machines
/// split one input the same way. Concatenating the shards' feature rows in shard order gives the rows of one run.
/// </summary>
public sealed record ImageShard
{
    /// <summary>Shard <paramref name="index"/> (0-based) of <paramref name="count"/>.</summary>
    public ImageShard(int index, int count)
    {
        if (count < 1 || index < 0 || index >= count)
        {
            throw new GenMetricsException($"shard {index}/{count}: need 0 <= index < count");
        }
        Index = index;
        Count = count;
    }

    /// <summary>0-based shard index.</summary>
    public int Index { get; }

    /// <summary>Number of shards.</summary>
    public int Count { get; }

    /// <summary>The half-open entry range [Start, End) of this shard in an input of <paramref name="entries"/> images.</summary>
    public (int Start, int End) Range(int entries) =>
        ((int)((long)Index * entries / Count), (int)((long)(Index + 1) * entries / Count));

    /// <summary>This shard's entries of <paramref name="source"/> (shares its archive; dispose only the source).</summary>
    public ImageSource Select(ImageSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (start, end) = Range(source.Entries.Count);
        return source.Slice(start, end);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Index}/{Count}";
}
