using System.Buffers;

namespace GenMetrics.Imaging;

/// <summary>
/// Pillow 9.4 <c>Image.resize(size, BICUBIC)</c> of a mode-'F' (float32) image, as clean-fid's 'clean'
/// resizer calls it per channel (<c>libImaging/Resample.c</c>).
/// </summary>
/// <remarks>
/// Separable, horizontal pass first into a float32 temporary holding only the rows the vertical pass reads,
/// then vertical; a pass is skipped when its axis keeps its size. Per axis: scale = in/out (double);
/// filterscale = max(scale, 1); support = 2·filterscale; centre = (i + 0.5)·scale;
/// xmin = max((int)(centre − support + 0.5), 0), xmax = min((int)(centre + support + 0.5), in);
/// w_k = K((k + xmin − centre + 0.5)/filterscale) with the a = −0.5 cubic kernel K, normalised by Σw.
/// Sums are accumulated in double in tap order and stored as float32 after each pass.
/// </remarks>
internal static class PillowBicubicResize
{
    public static void Resize(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth,
        Span<float> destination, int height, int width)
    {
        var columns = AxisTaps.Create(sourceWidth, width);
        var rows = AxisTaps.Create(sourceHeight, height);
        bool horizontal = width != sourceWidth;
        bool vertical = height != sourceHeight;
        if (!horizontal && !vertical)
        {
            source[..(height * width)].CopyTo(destination);
            return;
        }
        if (!horizontal)
        {
            VerticalPass(source, width, 0, rows, destination);
            return;
        }
        int firstRow = vertical ? rows.Start[0] : 0;
        int lastRow = vertical ? rows.Start[height - 1] + rows.Count[height - 1] : sourceHeight;
        if (!vertical)
        {
            HorizontalPass(source, sourceWidth, 0, sourceHeight, columns, destination);
            return;
        }
        float[] temp = ArrayPool<float>.Shared.Rent((lastRow - firstRow) * width);
        try
        {
            HorizontalPass(source, sourceWidth, firstRow, lastRow, columns, temp);
            VerticalPass(temp, width, firstRow, rows, destination);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(temp);
        }
    }

    private static void HorizontalPass(ReadOnlySpan<float> source, int sourceWidth, int firstRow, int lastRow,
        AxisTaps columns, Span<float> destination)
    {
        int width = columns.Start.Length;
        for (int y = firstRow; y < lastRow; y++)
        {
            ReadOnlySpan<float> row = source.Slice(y * sourceWidth, sourceWidth);
            Span<float> target = destination.Slice((y - firstRow) * width, width);
            for (int x = 0; x < width; x++)
            {
                ReadOnlySpan<double> weights = columns.Weights.AsSpan(x * columns.Stride, columns.Count[x]);
                ReadOnlySpan<float> taps = row.Slice(columns.Start[x], weights.Length);
                double sum = 0;
                for (int k = 0; k < weights.Length; k++)
                {
                    sum += taps[k] * weights[k];
                }
                target[x] = (float)sum;
            }
        }
    }

    /// <summary>Vertical pass; <paramref name="source"/> row 0 is input row <paramref name="rowOffset"/>.</summary>
    private static void VerticalPass(ReadOnlySpan<float> source, int width, int rowOffset, AxisTaps rows,
        Span<float> destination)
    {
        int height = rows.Start.Length;
        for (int y = 0; y < height; y++)
        {
            ReadOnlySpan<double> weights = rows.Weights.AsSpan(y * rows.Stride, rows.Count[y]);
            int start = rows.Start[y] - rowOffset;
            Span<float> target = destination.Slice(y * width, width);
            for (int x = 0; x < width; x++)
            {
                double sum = 0;
                for (int k = 0; k < weights.Length; k++)
                {
                    sum += source[(start + k) * width + x] * weights[k];
                }
                target[x] = (float)sum;
            }
        }
    }

    private static double Bicubic(double x)
    {
        const double a = -0.5;
        if (x < 0.0)
        {
            x = -x;
        }
        if (x < 1.0)
        {
            return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
        }
        if (x < 2.0)
        {
            return (((x - 5) * x + 8) * x - 4) * a;
        }
        return 0.0;
    }

    private sealed record AxisTaps(int[] Start, int[] Count, double[] Weights, int Stride)
    {
        public static AxisTaps Create(int inSize, int outSize)
        {
            double scale = (double)inSize / outSize;
            double filterScale = Math.Max(scale, 1.0);
            double support = 2.0 * filterScale;
            int stride = (int)Math.Ceiling(support) * 2 + 1;
            var taps = new AxisTaps(new int[outSize], new int[outSize], new double[outSize * stride], stride);
            double inverse = 1.0 / filterScale;
            for (int i = 0; i < outSize; i++)
            {
                double center = (i + 0.5) * scale;
                int min = Math.Max((int)(center - support + 0.5), 0);
                int max = Math.Min((int)(center + support + 0.5), inSize) - min;
                Span<double> weights = taps.Weights.AsSpan(i * stride, max);
                double total = 0;
                for (int k = 0; k < max; k++)
                {
                    double w = Bicubic((k + min - center + 0.5) * inverse);
                    weights[k] = w;
                    total += w;
                }
                if (total != 0.0)
                {
                    for (int k = 0; k < max; k++)
                    {
                        weights[k] /= total;
                    }
                }
                taps.Start[i] = min;
                taps.Count[i] = max;
            }
            return taps;
        }
    }
}
