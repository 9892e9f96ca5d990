using GenMetrics.Features;
using GenMetrics.Networks;

namespace GenMetrics.Evaluation;

/// <summary>
/// Which network made an evaluation's image features: the known weights' name, the layer, and the weights file's
/// name and SHA-256; copied into <see cref="EvaluationResult"/>.
/// </summary>
internal sealed record NetworkProvenance(string Network, string Layer, string WeightsFileName, string WeightsSha256)
{
    /// <summary>The provenance of <paramref name="layer"/> of the protocol's network built from <paramref name="weightsPath"/>.</summary>
    public static NetworkProvenance Of(PreprocessingProtocol protocol, FidInceptionLayer layer, string weightsPath, string weightsSha256) =>
        new(protocol.DefaultWeights.Name, FidInceptionLayerNames.NameOf(layer), Path.GetFileName(weightsPath), weightsSha256);
}
