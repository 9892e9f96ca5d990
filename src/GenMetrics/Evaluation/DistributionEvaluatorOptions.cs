using GenMetrics.Features;

namespace GenMetrics.Evaluation;

/// <summary>Settings of a <see cref="DistributionEvaluator"/>; the defaults are the reference tools' defaults.</summary>
public sealed record DistributionEvaluatorOptions : DistributionMetricSettings
{
    /// <summary>Feature dimension for FID/KID/precision/recall/density/coverage: 64, 192, 768 or 2048 (pool3).</summary>
    public int Dimensions { get; init; } = 2048;

    /// <summary>Images per network call; results do not depend on it.</summary>
    public int BatchSize { get; init; } = FeatureExtractorOptions.DefaultBatchSize;

    /// <summary>Network threads (0 = one per core).</summary>
    public int Threads { get; init; }
}
