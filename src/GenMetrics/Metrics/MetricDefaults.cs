namespace GenMetrics.Metrics;

/// <summary>
/// The one table of metric defaults, read by the API and the CLI (help text and behaviour cannot drift).
/// Values follow torch-fidelity (IS splits, KID subsets, PR k, seed) and prdc (density/coverage k).
/// </summary>
public static class MetricDefaults
{
    /// <summary>Inception Score splits (torch-fidelity <c>isc_splits</c>).</summary>
    public const int InceptionScoreSplits = 10;

    /// <summary>Whether IS shuffles the samples before splitting (torch-fidelity <c>samples_shuffle</c>).</summary>
    public const bool InceptionScoreShuffle = true;

    /// <summary>KID subsets (torch-fidelity <c>kid_subsets</c>).</summary>
    public const int KidSubsets = 100;

    /// <summary>KID subset size (torch-fidelity <c>kid_subset_size</c>).</summary>
    public const int KidSubsetSize = 1000;

    /// <summary>KID polynomial kernel degree.</summary>
    public const int KidDegree = 3;

    /// <summary>KID polynomial kernel coef0 (γ defaults to 1/d).</summary>
    public const double KidCoef0 = 1.0;

    /// <summary>Precision/recall neighbourhood k (torch-fidelity <c>prc_neighborhood</c>, Kynkäänniemi et al.).</summary>
    public const int PrecisionRecallK = 3;

    /// <summary>Density/coverage neighbourhood k (Naeem et al., prdc README).</summary>
    public const int DensityCoverageK = 5;

    /// <summary>Seed of the IS shuffle and the KID subsets (torch-fidelity <c>rng_seed</c>).</summary>
    public const int Seed = 2020;
}
