using System.Buffers;
using System.Numerics;

namespace GenMetrics.Imaging;

/// <summary>
/// PyTorch's <c>F.interpolate(mode='bilinear', align_corners=False, antialias=True)</c> on one float32 plane, in
/// the arithmetic of torch 1.13's CPU kernel (<c>_upsample_bilinear2d_aa</c>, <c>UpSampleKernel.cpp</c>:
/// <c>separable_upsample_generic_Nd_kernel_impl</c> with <c>HelperInterpLinear</c>).
/// </summary>
/// <remarks>
/// Separable, Pillow-style: the width pass runs first into a float32 temporary (source height × output width),
/// then the height pass; an axis whose size does not change is skipped, and an unchanged plane is copied.
/// Per axis, everything is float32 (torch's <c>scalar_t</c>) except where C++ promotes to double:
/// scale = (float)in/out; support = scale when scale ≥ 1 (the triangle widened by the downscale factor), else 1;
/// invscale = (float)(1/scale) when scale ≥ 1, else 1; for output i, center = (float)(scale·(i + 0.5)),
/// xmin = max((long)(center − support + 0.5), 0), xsize = min((long)(center + support + 0.5), in) − xmin;
/// tap j has w = tri((float)((float(xmin + j) − center + 0.5)·invscale)) with tri(x) = max(0, 1 − |x|),
/// the weights are summed in float32 in tap order and each divided by the sum (float32). Each output is
/// Σ_j src[xmin + j]·w_j accumulated in float32 from j = 0 upwards, as torch's
/// <c>interpolate_aa_single_dim</c> does. When enlarging (scale &lt; 1) this is ordinary half-pixel bilinear
/// interpolation with different rounding; when shrinking every input pixel under the widened triangle
/// contributes (no aliasing). This is torchmetrics' default resize since 1.8 (<c>antialias=True</c>).
/// </remarks>
internal static class PyTorchAntialiasBilinearResize
{
    public static void Resize(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth,
        Span<float> destination, int height, int width)
    {
        int sourcePixels = sourceHeight * sourceWidth;
        if (sourceHeight == height && sourceWidth == width)
        {
            source[..sourcePixels].CopyTo(destination);
            return;
        }
        float[]? widthPass = null;
        try
        {
            ReadOnlySpan<float> rows = source[..sourcePixels];
            if (sourceWidth != width)
            {
                var columns = AxisFilter.Create(sourceWidth, width);
                Span<float> target = destination;
                if (sourceHeight != height)
                {
                    widthPass = ArrayPool<float>.Shared.Rent(sourceHeight * width);
                    target = widthPass.AsSpan(0, sourceHeight * width);
                }
                for (int y = 0; y < sourceHeight; y++)
                {
                    columns.Apply(source.Slice(y * sourceWidth, sourceWidth), 1, target.Slice(y * width, width));
                }
                if (sourceHeight == height) return;
                rows = target;
            }
            // Height pass: output row y is Σ_j rows[ymin + j]·w_j; the tap loop is outermost per row so each
            // output element still accumulates in tap order (j = 0 first), as torch's vertical loop does.
            var filter = AxisFilter.Create(sourceHeight, height);
            for (int y = 0; y < height; y++)
            {
                Span<float> target = destination.Slice(y * width, width);
                int start = filter.Start[y];
                ReadOnlySpan<float> weights = filter.WeightsOf(y);
                ScaleRow(rows.Slice(start * width, width), weights[0], target);
                for (int j = 1; j < weights.Length; j++)
                {
                    AddScaledRow(rows.Slice((start + j) * width, width), weights[j], target);
                }
            }
        }
        finally
        {
            if (widthPass is not null) ArrayPool<float>.Shared.Return(widthPass);
        }
    }

    /// <summary>target = row·w, element-wise (Vector&lt;float&gt; lanes, scalar tail; the same float32 product per element).</summary>
    private static void ScaleRow(ReadOnlySpan<float> row, float w, Span<float> target)
    {
        int x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var weight = new Vector<float>(w);
            for (; x <= row.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                (new Vector<float>(row[x..]) * weight).CopyTo(target[x..]);
            }
        }
        for (; x < row.Length; x++) target[x] = row[x] * w;
    }

    /// <summary>
    /// target += row·w, element-wise: a float32 multiply then a float32 add per element (no fused multiply-add),
    /// so the vector lanes and the scalar tail give the bits of torch's <c>output += t * wts</c>.
    /// </summary>
    private static void AddScaledRow(ReadOnlySpan<float> row, float w, Span<float> target)
    {
        int x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var weight = new Vector<float>(w);
            for (; x <= row.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                (new Vector<float>(target[x..]) + new Vector<float>(row[x..]) * weight).CopyTo(target[x..]);
            }
        }
        for (; x < row.Length; x++) target[x] += row[x] * w;
    }

    /// <summary>The taps of one axis: first input index, tap count and normalised float32 weights per output.</summary>
    internal sealed class AxisFilter
    {
        private AxisFilter(int outSize, int maxTaps)
        {
            Start = new int[outSize];
            Count = new int[outSize];
            Weights = new float[outSize * maxTaps];
            MaxTaps = maxTaps;
        }

        public int[] Start { get; }

        public int[] Count { get; }

        public float[] Weights { get; }

        public int MaxTaps { get; }

        public ReadOnlySpan<float> WeightsOf(int i) => Weights.AsSpan(i * MaxTaps, Count[i]);

        /// <summary>One output line from one input line whose elements are <paramref name="stride"/> apart.</summary>
        public void Apply(ReadOnlySpan<float> line, int stride, Span<float> output)
        {
            for (int i = 0; i < output.Length; i++)
            {
                ReadOnlySpan<float> w = WeightsOf(i);
                int at = Start[i] * stride;
                float sum = line[at] * w[0];
                for (int j = 1; j < w.Length; j++) sum += line[at + j * stride] * w[j];
                output[i] = sum;
            }
        }

        public static AxisFilter Create(int inSize, int outSize)
        {
            float scale = (float)inSize / outSize;
            // (interp_size * 0.5) * scale with interp_size 2 is computed in double and stored as float: = scale.
            float support = scale >= 1f ? (float)(1.0 * scale) : 1f;
            int maxTaps = (int)Math.Ceiling(support) * 2 + 1;
            float invscale = scale >= 1f ? (float)(1.0 / scale) : 1f;
            var filter = new AxisFilter(outSize, maxTaps);
            for (int i = 0; i < outSize; i++)
            {
                float center = (float)(scale * (i + 0.5));
                long xmin = Math.Max((long)((double)(center - support) + 0.5), 0L);
                long xsize = Math.Min((long)((double)(center + support) + 0.5), inSize) - xmin;
                xsize = Math.Clamp(xsize, 0L, maxTaps);
                Span<float> w = filter.Weights.AsSpan(i * maxTaps, maxTaps);
                float total = 0f;
                for (int j = 0; j < xsize; j++)
                {
                    float offset = (float)(j + xmin) - center;
                    w[j] = Triangle((float)((offset + 0.5) * invscale));
                    total += w[j];
                }
                if (total != 0f)
                {
                    for (int j = 0; j < xsize; j++) w[j] /= total;
                }
                filter.Start[i] = (int)xmin;
                filter.Count[i] = (int)xsize;
            }
            return filter;
        }

        /// <summary>torch's <c>aa_filter</c> for bilinear: 1 − |x| inside (−1, 1), else 0 (in double, stored as float).</summary>
        private static float Triangle(float x)
        {
            x = Math.Abs(x);
            return x < 1f ? (float)(1.0 - x) : 0f;
        }
    }
}
