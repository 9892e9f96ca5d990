using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>Options of a distribution-metric evaluation; defaults come from <see cref="MetricDefaults"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>Known protocols (preprocessing + FID conventions).</summary>
    public static IReadOnlyList<string> Protocols { get; } = [.. Features.KnownProtocols.All.Select(p => p.Name)];

    /// <summary>A protocol name of <see cref="Features.KnownProtocols"/> (preprocessing, network, FID μ and KID/IS rules).</summary>
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

    /// <summary>
    /// When above 0 and precision/recall or density/coverage is computed: also record, in the same distance pass,
    /// this many nearest real samples and the manifold ratio of every fake sample
    /// (<see cref="EvaluationResult.FakeNeighbours"/>). 0 (default): not recorded.
    /// </summary>
    public int NearestRealNeighbours { get; init; }

    /// <summary>Threads for the numerical kernels (-1: all cores).</summary>
    public int MaxThreads { get; init; } = -1;
}
