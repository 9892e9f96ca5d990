namespace GenMetrics.Metrics;

/// <summary>Options of a distribution-metric evaluation; defaults come from <see cref="MetricDefaults"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Known protocols (preprocessing + FID conventions).</summary>
    public static IReadOnlyList<string> Protocols { get; } = ["pytorch-fid", "torch-fidelity", "clean", "adm"];

    /// <summary>"pytorch-fid" (float64 μ), "torch-fidelity" (float32 μ, TF1 resize for images), "clean" (float32 μ, Pillow bicubic resize) or "adm" (ADM evaluator: float32 μ, TF1 resize, sFID, ADM IS and precision/recall).</summary>
    public string Protocol { get; init; } = "pytorch-fid";

    /// <summary>Whether <see cref="Protocol"/> was chosen explicitly (otherwise stats files may set it).</summary>
    public bool ProtocolExplicit { get; init; }

    /// <summary>Expected feature dimension (null: whatever the inputs have).</summary>
    public int? Dimensions { get; init; }

    /// <summary>IS splits.</summary>
    public int Splits { get; init; } = MetricDefaults.InceptionScoreSplits;

    /// <summary>IS shuffle (torch-fidelity default: true).</summary>
    public bool Shuffle { get; init; } = MetricDefaults.InceptionScoreShuffle;

    /// <summary>KID subsets.</summary>
    public int Subsets { get; init; } = MetricDefaults.KidSubsets;

    /// <summary>KID subset size.</summary>
    public int SubsetSize { get; init; } = MetricDefaults.KidSubsetSize;

    /// <summary>Precision/recall k.</summary>
    public int PrecisionRecallK { get; init; } = MetricDefaults.PrecisionRecallK;

    /// <summary>Density/coverage k.</summary>
    public int DensityCoverageK { get; init; } = MetricDefaults.DensityCoverageK;

    /// <summary>Seed of the IS shuffle and KID subsets.</summary>
    public int Seed { get; init; } = MetricDefaults.Seed;

    /// <summary>Compute even when the inputs' provenance (protocol, layer, weights) disagree.</summary>
    public bool Force { get; init; }

    /// <summary>Logits (.npy N×1008) for IS when FAKE is a feature matrix.</summary>
    public string? LogitsPath { get; init; }

    /// <summary>Threads for the numerical kernels (-1: all cores).</summary>
    public int MaxThreads { get; init; } = -1;
}
