using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>The outcome of a distribution-metric evaluation; metrics not requested are null.</summary>
public sealed record EvaluationResult
{
    /// <summary>Protocol used (its <see cref="Features.PreprocessingProtocol.Name"/> is what outputs record).</summary>
    public required Features.PreprocessingProtocol Protocol { get; init; }

    /// <summary>Samples in REAL (0 when unknown, e.g. a plain pytorch-fid stats file).</summary>
    public long RealCount { get; init; }

    /// <summary>Samples in FAKE (0 when unknown).</summary>
    public long FakeCount { get; init; }

    /// <summary>FID and how it was computed.</summary>
    public FrechetResult? Fid { get; init; }

    /// <summary>sFID (protocol adm): the Fréchet distance on the spatial features, when both inputs carry them.</summary>
    public FrechetResult? SpatialFid { get; init; }

    /// <summary>Inception Score of FAKE.</summary>
    public InceptionScoreResult? InceptionScore { get; init; }

    /// <summary>KID (FAKE = torch-fidelity input1, REAL = input2).</summary>
    public KidResult? Kid { get; init; }

    /// <summary>Precision/recall (torch-fidelity convention).</summary>
    public PrecisionRecallResult? PrecisionRecall { get; init; }

    /// <summary>Density/coverage (prdc convention).</summary>
    public DensityCoverageResult? DensityCoverage { get; init; }

    /// <summary>
    /// Per fake sample: nearest real samples and manifold ratio, when <see cref="EvaluationOptions.NearestRealNeighbours"/>
    /// was above 0 and precision/recall or density/coverage was computed; rows follow the inputs' sample order.
    /// </summary>
    public FakeManifoldNeighbours? FakeNeighbours { get; init; }

    /// <summary>Warnings (e.g. a provenance mismatch overridden by Force).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
