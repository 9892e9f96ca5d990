using GenMetrics.Features;
using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>Options of a distribution-metric evaluation; defaults come from <see cref="MetricDefaults"/>.</summary>
public sealed record EvaluationOptions
{
    /// <summary>
    /// The protocol (preprocessing, network, FID μ and KID/IS rules): a member of <see cref="KnownProtocols"/>.
    /// Null (default): the inputs decide (a statistics file's recorded protocol, <see cref="KnownProtocols.Adm"/>
    /// for ADM batches), else <see cref="DefaultProtocol"/>. A protocol set here is kept, and inputs
    /// recorded under another one are refused unless <see cref="Force"/>.
    /// </summary>
    public PreprocessingProtocol? Protocol { get; init; }

    /// <summary>
    /// The protocol when neither <see cref="Protocol"/> nor the inputs set one: <see cref="KnownProtocols.PytorchFid"/>
    /// by default (the CLI's <c>is</c>, <c>kid</c> and <c>prdc</c> take <see cref="KnownProtocols.TorchFidelity"/>).
    /// </summary>
    public PreprocessingProtocol DefaultProtocol { get; init; } = KnownProtocols.PytorchFid;

    /// <summary><see cref="Protocol"/>, or <see cref="DefaultProtocol"/> when the inputs did not set one.</summary>
    internal PreprocessingProtocol ProtocolOrDefault => Protocol ?? DefaultProtocol;

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
