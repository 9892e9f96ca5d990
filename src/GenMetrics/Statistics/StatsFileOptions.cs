namespace GenMetrics.Statistics;

/// <summary>How <see cref="StatsFile.Write(string, GaussianStatistics, StatsFileOptions?)"/> lays out a stats file.</summary>
/// <remarks>
/// The defaults give what pytorch-fid's <c>savez_compressed</c> gives (deflated members) holding <c>mu</c>,
/// <c>sigma</c>, <c>n</c>, <c>sum_float32</c> and the provenance: enough to compute FID and to merge (n, μ, Σ combine
/// exactly; <see cref="StatisticsMerge"/>). The raw sums Σx and Σxxᵀ are only written on request: n, μ and Σ
/// determine them, and Σxxᵀ alone is as large as Σ.
/// </remarks>
public sealed record StatsFileOptions
{
    /// <summary>The defaults: compressed, without the raw sums.</summary>
    public static StatsFileOptions Default { get; } = new();

    /// <summary>Deflate each member (numpy <c>savez_compressed</c>); false stores them (numpy <c>savez</c>). Default true.</summary>
    public bool Compress { get; init; } = true;

    /// <summary>Also write <c>sum</c> (Σx) and <c>sum_xxT</c> (Σxxᵀ), as files of format version 1 did. Default false.</summary>
    public bool IncludeSums { get; init; }
}
