namespace GenMetrics.Metrics;

/// <summary>The LPIPS distance of one image pair.</summary>
public sealed class LpipsDistance
{
    internal LpipsDistance(float value, float[] layerValues, float[]? spatialMap, int width, int height)
    {
        Value = value;
        LayerValues = layerValues;
        SpatialMap = spatialMap;
        Width = width;
        Height = height;
    }

    /// <summary>The distance (float32, as the reference returns it): the sum of <see cref="LayerValues"/> in layer order.</summary>
    public float Value { get; }

    /// <summary>Each tap's term (<c>retPerLayer=True</c>): the spatial mean of its lin-weighted squared difference.</summary>
    public IReadOnlyList<float> LayerValues { get; }

    /// <summary>
    /// The <c>spatial=True</c> map, row-major <see cref="Height"/>×<see cref="Width"/>, or null when not asked for.
    /// Its mean is close to, but not exactly, <see cref="Value"/> (bilinear upsampling is not mean-preserving).
    /// </summary>
    public float[]? SpatialMap { get; }

    /// <summary>Width of the pair's images.</summary>
    public int Width { get; }

    /// <summary>Height of the pair's images.</summary>
    public int Height { get; }
}
