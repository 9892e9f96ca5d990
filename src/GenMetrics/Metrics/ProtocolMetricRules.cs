using GenMetrics.Features;

namespace GenMetrics.Metrics;

/// <summary>
/// Which reference's KID subsets and Inception Score splits a protocol uses: torch-fidelity's
/// (<see cref="Kid"/>, <see cref="InceptionScore"/>; numpy <c>RandomState</c>) unless the protocol names
/// another tool's rules (torchmetrics: <see cref="TorchmetricsKid"/>, <see cref="TorchmetricsInceptionScore"/>; ADM:
/// <see cref="AdmInceptionScore"/>).
/// </summary>
internal static class ProtocolMetricRules
{
    private static bool IsTorchmetrics(PreprocessingProtocol protocol) => protocol.Rules == MetricRules.Torchmetrics;

    /// <summary>KID of <paramref name="fake"/> against <paramref name="real"/> under the protocol's rule.</summary>
    public static KidResult ComputeKid(PreprocessingProtocol protocol, ReadOnlySpan<double> real, ReadOnlySpan<double> fake, int dimension,
        int subsets, int subsetSize, int seed) =>
        IsTorchmetrics(protocol)
            ? TorchmetricsKid.Compute(real, fake, dimension, subsets, subsetSize, seed)
            : Metrics.Kid.Compute(fake, real, dimension, subsets, subsetSize, seed);

    /// <inheritdoc cref="ComputeKid(PreprocessingProtocol, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, int, int)"/>
    /// <remarks>float32 rows are read in place; the result is bit for bit that of their float64 widening.</remarks>
    public static KidResult ComputeKid(PreprocessingProtocol protocol, ReadOnlySpan<float> real, ReadOnlySpan<float> fake, int dimension,
        int subsets, int subsetSize, int seed) =>
        IsTorchmetrics(protocol)
            ? TorchmetricsKid.Compute(real, fake, dimension, subsets, subsetSize, seed)
            : Metrics.Kid.Compute(fake, real, dimension, subsets, subsetSize, seed);

    /// <summary>Inception Score of N×C logits under the protocol's rule (ADM: 5000-row splits without shuffle; splits and shuffle unused).</summary>
    public static InceptionScoreResult ComputeInceptionScore(PreprocessingProtocol protocol, ReadOnlySpan<float> logits, int classes,
        int splits, bool shuffle, int seed) => protocol.Rules switch
        {
            MetricRules.Torchmetrics => TorchmetricsInceptionScore.Compute(logits, classes, splits, seed, shuffle),
            MetricRules.Adm => AdmInceptionScore.Compute(logits, classes),
            _ => Metrics.InceptionScore.Compute(logits, classes, splits, shuffle, seed),
        };

    /// <inheritdoc cref="ComputeInceptionScore(PreprocessingProtocol, ReadOnlySpan{float}, int, int, bool, int)"/>
    public static InceptionScoreResult ComputeInceptionScore(PreprocessingProtocol protocol, ReadOnlySpan<double> logits, int classes,
        int splits, bool shuffle, int seed) => protocol.Rules switch
        {
            MetricRules.Torchmetrics => TorchmetricsInceptionScore.Compute(logits, classes, splits, seed, shuffle),
            MetricRules.Adm => AdmInceptionScore.Compute(logits, classes),
            _ => Metrics.InceptionScore.Compute(logits, classes, splits, shuffle, seed),
        };
}
