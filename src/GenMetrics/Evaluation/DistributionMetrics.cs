using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>The distribution metrics an evaluation can compute (one feature pass feeds all of them).</summary>
[Flags]
public enum DistributionMetrics
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Fréchet Inception Distance.</summary>
    Fid = 1,

    /// <summary>Inception Score (on FAKE).</summary>
    InceptionScore = 2,

    /// <summary>Kernel Inception Distance.</summary>
    Kid = 4,

    /// <summary>Precision and recall (k-NN, torch-fidelity).</summary>
    PrecisionRecall = 8,

    /// <summary>Density and coverage (prdc).</summary>
    DensityCoverage = 16,

    /// <summary>sFID: Fréchet distance on ADM's 2023-d spatial features (protocol adm only).</summary>
    SpatialFid = 32,

    /// <summary>Precision, recall, density and coverage.</summary>
    Prdc = PrecisionRecall | DensityCoverage,
}
