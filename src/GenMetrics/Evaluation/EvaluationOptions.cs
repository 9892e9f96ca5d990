using GenMetrics.Features;
using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>Options of a distribution-metric evaluation; the metric settings' defaults come from <see cref="MetricDefaults"/>.</summary>
public sealed record EvaluationOptions : DistributionMetricSettings
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

    /// <summary>Options with the metric settings of <paramref name="settings"/> and the other properties at their defaults.</summary>
    internal EvaluationOptions(DistributionMetricSettings settings)
        : base(settings)
    {
    }

    /// <summary>Options with every property at its default.</summary>
    public EvaluationOptions()
    {
    }
}
