using GenMetrics.Networks;

namespace GenMetrics.Features;

/// <summary>The result of <see cref="FeatureExtractor.Extract(Imaging.ImageSource, IProgress{WorkProgress}?, CancellationToken)"/>: features per layer plus their provenance.</summary>
public sealed class FeatureSet
{
    internal FeatureSet(string protocol, string weightsPath, string weightsSha256, IReadOnlyList<string> images,
        IReadOnlyDictionary<FidInceptionLayer, FeatureMatrix> layers)
    {
        Protocol = protocol;
        WeightsPath = weightsPath;
        WeightsSha256 = weightsSha256;
        Images = images;
        Layers = layers;
    }

    /// <summary>Name of the preprocessing protocol (<see cref="PreprocessingProtocol.Name"/>).</summary>
    public string Protocol { get; }

    /// <summary>The weights file the network was built from.</summary>
    public string WeightsPath { get; }

    /// <summary>Lower-case hex SHA-256 of the weights file.</summary>
    public string WeightsSha256 { get; }

    /// <summary>The images in row order (relative paths within the source).</summary>
    public IReadOnlyList<string> Images { get; }

    /// <summary>The requested layers.</summary>
    public IReadOnlyDictionary<FidInceptionLayer, FeatureMatrix> Layers { get; }

    /// <summary>The features of <paramref name="layer"/>.</summary>
    /// <exception cref="GenMetricsException">The layer was not requested.</exception>
    public FeatureMatrix this[FidInceptionLayer layer] => Layers.TryGetValue(layer, out var matrix)
        ? matrix
        : throw new GenMetricsException($"layer {FidInceptionLayerNames.NameOf(layer)} was not extracted; add it to FeatureExtractorOptions.Layers");
}
