namespace GenMetrics.Networks;

/// <summary>The command-line and provenance names of <see cref="FidInceptionLayer"/> values.</summary>
public static class FidInceptionLayerNames
{
    /// <summary>Every layer with its name: 64, 192, 768, pool3, logits, logits-unbiased, spatial.</summary>
    public static IReadOnlyList<(FidInceptionLayer Layer, string Name, int Dimensions)> All { get; } =
    [
        (FidInceptionLayer.Block64, "64", 64),
        (FidInceptionLayer.Block192, "192", 192),
        (FidInceptionLayer.Block768, "768", 768),
        (FidInceptionLayer.Pool3, "pool3", 2048),
        (FidInceptionLayer.Logits, "logits", 1008),
        (FidInceptionLayer.LogitsUnbiased, "logits-unbiased", 1008),
        (FidInceptionLayer.Spatial, "spatial", FidInceptionV3.SpatialDimensions),
    ];

    /// <summary>The name of <paramref name="layer"/>.</summary>
    public static string NameOf(FidInceptionLayer layer) => All.First(entry => entry.Layer == layer).Name;

    /// <summary>The feature dimension of <paramref name="layer"/>.</summary>
    public static int DimensionsOf(FidInceptionLayer layer) => All.First(entry => entry.Layer == layer).Dimensions;

    /// <summary>Parses a layer name (also accepts 2048 for pool3 and logits_unbiased); null when unknown.</summary>
    public static FidInceptionLayer? Parse(string name) => name switch
    {
        "2048" => FidInceptionLayer.Pool3,
        "logits_unbiased" => FidInceptionLayer.LogitsUnbiased,
        _ => All.Where(entry => entry.Name == name).Select(entry => (FidInceptionLayer?)entry.Layer).FirstOrDefault(),
    };
}
