using GenMetrics.Networks;

namespace GenMetrics.Features;

/// <summary>Per-image features of one layer: <see cref="Rows"/> images × <see cref="Columns"/> float32 values, row-major.</summary>
public sealed class FeatureMatrix
{
    internal FeatureMatrix(FidInceptionLayer layer, int rows, int columns)
    {
        Layer = layer;
        Rows = rows;
        Columns = columns;
        Values = new float[(long)rows * columns];
    }

    /// <summary>The network layer the features come from.</summary>
    public FidInceptionLayer Layer { get; }

    /// <summary>Number of images.</summary>
    public int Rows { get; }

    /// <summary>Feature dimension.</summary>
    public int Columns { get; }

    /// <summary>Row-major values (image i at <c>[i·Columns, (i+1)·Columns)</c>).</summary>
    public float[] Values { get; }

    /// <summary>The features of image <paramref name="row"/>.</summary>
    public ReadOnlySpan<float> Row(int row) => Values.AsSpan(row * Columns, Columns);
}
