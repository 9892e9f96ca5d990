using GenMetrics.Features;
using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>Settings of a <see cref="DistributionEvaluator"/>; the defaults are the reference tools' defaults.</summary>
public sealed record DistributionEvaluatorOptions
{
    /// <summary>Feature dimension for FID/KID/precision/recall/density/coverage: 64, 192, 768 or 2048 (pool3).</summary>
    public int Dimensions { get; init; } = 2048;

    /// <summary>Inception Score splits.</summary>
    public int Splits { get; init; } = MetricDefaults.InceptionScoreSplits;

    /// <summary>Whether Inception Score shuffles before splitting (torch-fidelity).</summary>
    public bool Shuffle { get; init; } = MetricDefaults.InceptionScoreShuffle;

    /// <summary>KID subsets.</summary>
    public int Subsets { get; init; } = MetricDefaults.KidSubsets;

    /// <summary>KID subset size.</summary>
    public int SubsetSize { get; init; } = MetricDefaults.KidSubsetSize;

    /// <summary>k of precision/recall.</summary>
    public int PrecisionRecallK { get; init; } = MetricDefaults.PrecisionRecallK;

    /// <summary>k of density/coverage.</summary>
    public int DensityCoverageK { get; init; } = MetricDefaults.DensityCoverageK;

    /// <summary>Random seed of Inception Score shuffling and KID subsets.</summary>
    public int Seed { get; init; } = MetricDefaults.Seed;

    /// <summary>Images per network call; results do not depend on it.</summary>
    public int BatchSize { get; init; } = FeatureExtractorOptions.DefaultBatchSize;

    /// <summary>Network threads (0 = one per core).</summary>
    public int Threads { get; init; }

    /// <summary>Threads of the metric math (-1 = all cores).</summary>
    public int MaxThreads { get; init; } = -1;
}
