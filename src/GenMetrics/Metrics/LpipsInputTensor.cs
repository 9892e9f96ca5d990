using GenMetrics.Imaging;

namespace GenMetrics.Metrics;

/// <summary>
/// <c>lpips.im2tensor</c>: uint8 HWC RGB → planar CHW float32 in [−1, 1], computed as the reference does
/// (<c>k/127.5 − 1</c> in float64, then rounded to float32), through a 256-entry table.
/// </summary>
internal static class LpipsInputTensor
{
    private static readonly float[] Table = BuildTable();

    /// <summary>Writes <paramref name="image"/> as 3 planes of <c>Width·Height</c> values into <paramref name="destination"/>.</summary>
    public static void Write(RgbImage image, Span<float> destination)
    {
        int plane = image.Width * image.Height;
        ReadOnlySpan<byte> pixels = image.Pixels;
        Span<float> red = destination[..plane];
        Span<float> green = destination.Slice(plane, plane);
        Span<float> blue = destination.Slice(2 * plane, plane);
        ReadOnlySpan<float> table = Table;
        for (int i = 0, p = 0; i < plane; i++, p += 3)
        {
            red[i] = table[pixels[p]];
            green[i] = table[pixels[p + 1]];
            blue[i] = table[pixels[p + 2]];
        }
    }

    /// <summary>The value the reference feeds for byte <paramref name="k"/>.</summary>
    public static float Value(byte k) => Table[k];

    private static float[] BuildTable()
    {
        var table = new float[256];
        for (int k = 0; k < table.Length; k++) table[k] = (float)(k / 127.5 - 1.0);
        return table;
    }
}
