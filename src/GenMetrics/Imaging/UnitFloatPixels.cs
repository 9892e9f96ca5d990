namespace GenMetrics.Imaging;

/// <summary>
/// Float images in 0..1 (the output range of most generators after <c>(x + 1)/2</c>) as the 8-bit pixels
/// torchmetrics' metrics see with <c>normalize=True</c>: <c>(x·255).byte()</c>, a float32 multiply followed by a
/// conversion that truncates toward zero (0.999 → 254, not 255). Image files are uint8 already and need none of this.
/// </summary>
public static class UnitFloatPixels
{
    /// <summary>
    /// Converts interleaved HWC RGB floats in [0, 1] to an <see cref="RgbImage"/> with torchmetrics' truncation.
    /// </summary>
    /// <exception cref="ArgumentException">The buffer is not <c>width·height·3</c> values.</exception>
    /// <exception cref="GenMetricsException">A value is NaN or outside [0, 1] (torch's conversion of such values is undefined).</exception>
    public static RgbImage ToRgbImage(ReadOnlySpan<float> hwc, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 != hwc.Length)
        {
            throw new ArgumentException($"expected {(long)width * height * 3} values for {width}x{height} RGB, got {hwc.Length}", nameof(hwc));
        }
        var pixels = new byte[hwc.Length];
        for (int i = 0; i < hwc.Length; i++)
        {
            float x = hwc[i];
            if (!(x >= 0f && x <= 1f))
            {
                throw new GenMetricsException($"pixel value {x} at index {i} is outside 0..1; torchmetrics' normalize=True expects floats in [0, 1] (rescale, e.g. (x + 1)/2, or pass uint8 images)");
            }
            pixels[i] = (byte)(x * 255f);
        }
        return new RgbImage(width, height, pixels);
    }
}
