namespace GenMetrics.Onnx;

/// <summary>A float32 tensor passed to or returned from an <see cref="OnnxModelSession"/>.</summary>
/// <param name="Name">Graph input or output name.</param>
/// <param name="Data">Row-major values; for inputs the buffer may be longer than the shape needs (pooled).</param>
/// <param name="Shape">Dimensions.</param>
internal sealed record OnnxTensor(string Name, float[] Data, long[] Shape)
{
    /// <summary>Number of elements the shape describes.</summary>
    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (long dimension in Shape)
            {
                count *= dimension;
            }
            return count;
        }
    }
}
