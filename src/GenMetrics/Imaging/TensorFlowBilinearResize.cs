using System.Buffers;

namespace GenMetrics.Imaging;

/// <summary>
/// TensorFlow 1.x <c>resize_bilinear(align_corners=False)</c> (no half-pixel centres) on one float32 plane, as
/// torch-fidelity's <c>interpolate_bilinear_2d_like_tensorflow1x(method='slow')</c> computes it.
/// </summary>
/// <remarks>
/// Per axis: scale = float32(in/out); src = float32(i)·scale in float32; lo = (int)src;
/// hi = min(lo + 1, in − 1); d = src − lo. Along x then y, each step rounded to float32:
/// top = a + (b − a)·dx, bottom = c + (d − c)·dx, out = top + (bottom − top)·dy. No antialiasing.
/// </remarks>
internal static class TensorFlowBilinearResize
{
    public static void Resize(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth,
        Span<float> destination, int height, int width)
    {
        var rows = AxisTaps.Create(sourceHeight, height);
        var columns = AxisTaps.Create(sourceWidth, width);
        float[] widthPass = ArrayPool<float>.Shared.Rent(sourceHeight * width);
        try
        {
            for (int y = 0; y < sourceHeight; y++)
            {
                ReadOnlySpan<float> row = source.Slice(y * sourceWidth, sourceWidth);
                Span<float> target = widthPass.AsSpan(y * width, width);
                for (int x = 0; x < width; x++)
                {
                    float a = row[columns.Low[x]];
                    target[x] = a + (row[columns.High[x]] - a) * columns.Fraction[x];
                }
            }
            for (int y = 0; y < height; y++)
            {
                ReadOnlySpan<float> top = widthPass.AsSpan(rows.Low[y] * width, width);
                ReadOnlySpan<float> bottom = widthPass.AsSpan(rows.High[y] * width, width);
                float dy = rows.Fraction[y];
                Span<float> target = destination.Slice(y * width, width);
                for (int x = 0; x < width; x++)
                {
                    target[x] = top[x] + (bottom[x] - top[x]) * dy;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(widthPass);
        }
    }

    private sealed record AxisTaps(int[] Low, int[] High, float[] Fraction)
    {
        public static AxisTaps Create(int inSize, int outSize)
        {
            var taps = new AxisTaps(new int[outSize], new int[outSize], new float[outSize]);
            float scale = (float)((double)inSize / outSize);
            for (int i = 0; i < outSize; i++)
            {
                float src = i * scale;
                int low = (int)src;
                taps.Low[i] = low;
                taps.High[i] = Math.Min(low + 1, inSize - 1);
                taps.Fraction[i] = src - low;
            }
            return taps;
        }
    }
}
