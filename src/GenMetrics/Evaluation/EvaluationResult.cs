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

    /// <summary>
    /// Columns of the features the metrics compared (2048 for pool3, 64/192/768 for the other FID layers, 1008 for
    /// Inception Score logits alone); 0 when not known.
    /// </summary>
    public int Dimensions { get; init; }

    /// <summary>
    /// The network layer whose features were compared (<c>pool3</c>, <c>64</c>, …, <c>logits-unbiased</c>), when the
    /// features were extracted from images here; null for feature and statistics files.
    /// </summary>
    public string? Layer { get; init; }

    /// <summary>The known weights (network) the image features came from, e.g. <c>fid-inception-v3</c>; null when no image was run through a network.</summary>
    public string? Network { get; init; }

    /// <summary>File name (no folder) of the weights the image features came from; null when no image was run through a network.</summary>
    public string? WeightsFileName { get; init; }

    /// <summary>SHA-256 (lower-case hex) of that weights file; null when no image was run through a network.</summary>
    public string? WeightsSha256 { get; init; }

    /// <summary>Warnings (e.g. a provenance mismatch overridden by Force).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}
