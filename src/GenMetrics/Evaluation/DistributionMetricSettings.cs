using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>
/// The settings of the distribution metrics themselves (Inception Score, KID, precision/recall, density/coverage)
/// and of their numerical kernels, shared by <see cref="EvaluationOptions"/> and
/// <see cref="DistributionEvaluatorOptions"/>; defaults come from <see cref="MetricDefaults"/>.
/// </summary>
public abstract record DistributionMetricSettings
{
    /// <summary>Inception Score splits.</summary>
    public int Splits { get; init; } = MetricDefaults.InceptionScoreSplits;

    /// <summary>Whether Inception Score shuffles before splitting (torch-fidelity's default: true).</summary>
    public bool Shuffle { get; init; } = MetricDefaults.InceptionScoreShuffle;

    /// <summary>KID subsets.</summary>
    public int Subsets { get; init; } = MetricDefaults.KidSubsets;

    /// <summary>KID subset size.</summary>
    public int SubsetSize { get; init; } = MetricDefaults.KidSubsetSize;

    /// <summary>k of precision/recall.</summary>
    public int PrecisionRecallK { get; init; } = MetricDefaults.PrecisionRecallK;

    /// <summary>k of density/coverage.</summary>
    public int DensityCoverageK { get; init; } = MetricDefaults.DensityCoverageK;

    /// <summary>Random seed of the Inception Score shuffle and the KID subsets.</summary>
    public int Seed { get; init; } = MetricDefaults.Seed;

    /// <summary>Threads of the metric math (-1: all cores).</summary>
    public int MaxThreads { get; init; } = -1;
}
