namespace GenMetrics.Imaging;

/// <summary>
/// The resize inside NVIDIA's TorchScript Inception (<c>inception-2015-12-05.pt</c>, clean-fid
/// <c>mode="legacy_tensorflow"</c>): <c>affine_grid</c> with θ = [[1, 0, 1/W − 1/out], [0, 1, 1/H − 1/out]]
/// (align_corners=False), then <c>grid_sample(bilinear, padding 'border', align_corners=False)</c>, which puts
/// output pixel j at source coordinate j·in/out (TF1 <c>resize_bilinear</c> alignment), on one float32 plane.
/// </summary>
/// <remarks>
/// Every float32 step of torch 1.13's CPU kernels is reproduced, which makes the output bit-identical to the
/// golden (<c>golden/clean_ts/resized_legacy_tensorflow_set_a_000.npy</c>):
/// <list type="bullet">
/// <item><c>linspace(-1, 1, out)</c>: step = 2/(out−1); the AVX2 kernel fills blocks of 8 as
/// base + k·step (separate multiply and add) from base = fma(step, i, −1) in the first half and
/// fma(−step, out−1−i, 1) in the second (the block's first index decides), blocks taken in pairs while 16
/// elements remain; the tail is scalar with the same fused base formula. Then ·(out−1), then /out.</item>
/// <item>grid = base + θ shift (θ's shift = float32(1/in) − float32(1/out); the batched matrix product adds
/// exact zeros and ones, so one rounding).</item>
/// <item>unnormalise (g + 1)·(in/2) − 0.5, clip to [0, in − 1] ('border'); x₀ = ⌊x⌋, w = x − x₀, e = 1 − w
/// (same for y: n, s); corner weights s·e, s·w, n·e, n·w; value = fma(se_v, n·w, fma(sw_v, n·e,
/// fma(ne_v, s·w, nw_v·s·e))), with a neighbour past the last row or column reading 0 (its weight is 0).</item>
/// </list>
/// </remarks>
internal static class GridSampleTf1Resize
{
    /// <summary>Elements one AVX2 float vector holds: the block size of torch's vectorised linspace.</summary>
    private const int VectorLanes = 8;

    public static void Resize(ReadOnlySpan<float> source, int sourceHeight, int sourceWidth,
        Span<float> destination, int height, int width)
    {
        float[] xs = SourceCoordinates(sourceWidth, width);
        float[] ys = SourceCoordinates(sourceHeight, height);
        for (int oy = 0; oy < height; oy++)
        {
            float y = ys[oy];
            int y0 = (int)MathF.Floor(y);
            float n = y - y0;
            float s = 1f - n;
            bool hasSouth = y0 + 1 < sourceHeight;
            ReadOnlySpan<float> north = source.Slice(y0 * sourceWidth, sourceWidth);
            ReadOnlySpan<float> south = hasSouth ? source.Slice((y0 + 1) * sourceWidth, sourceWidth) : default;
            Span<float> target = destination.Slice(oy * width, width);
            for (int ox = 0; ox < width; ox++)
            {
                float x = xs[ox];
                int x0 = (int)MathF.Floor(x);
                float w = x - x0;
                float e = 1f - w;
                bool hasEast = x0 + 1 < sourceWidth;
                float nwValue = north[x0];
                float neValue = hasEast ? north[x0 + 1] : 0f;
                float swValue = hasSouth ? south[x0] : 0f;
                float seValue = hasSouth && hasEast ? south[x0 + 1] : 0f;
                float value = nwValue * (s * e);
                value = MathF.FusedMultiplyAdd(neValue, s * w, value);
                value = MathF.FusedMultiplyAdd(swValue, n * e, value);
                target[ox] = MathF.FusedMultiplyAdd(seValue, n * w, value);
            }
        }
    }

    /// <summary>The clipped source coordinate of every output index along one axis of length <paramref name="output"/>.</summary>
    internal static float[] SourceCoordinates(int input, int output)
    {
        float[] grid = AlignedLinspace(output);
        float shift = 1f / input - 1f / output;
        float half = input / 2f;
        float max = input - 1;
        for (int i = 0; i < output; i++)
        {
            float g = grid[i] + shift;
            float coordinate = (g + 1f) * half - 0.5f;
            grid[i] = Math.Min(max, Math.Max(coordinate, 0f));
        }
        return grid;
    }

    /// <summary>affine_grid's base coordinates: <c>linspace(-1, 1, n)·(n − 1)/n</c> in float32 as torch's CPU kernel forms them.</summary>
    private static float[] AlignedLinspace(int n)
    {
        var values = new float[n];
        if (n <= 1) return values;
        float step = 2f / (n - 1);
        int halfway = n / 2;
        int i = 0;
        while (i + 2 * VectorLanes <= n)
        {
            for (int block = 0; block < 2; block++, i += VectorLanes)
            {
                float start = Base(i);
                values[i] = start;
                for (int k = 1; k < VectorLanes; k++)
                {
                    float offset = k * step;
                    values[i + k] = start + offset;
                }
            }
        }
        for (; i < n; i++) values[i] = Base(i);
        for (int j = 0; j < n; j++) values[j] = values[j] * (n - 1) / n;
        return values;

        float Base(int index) => index < halfway
            ? MathF.FusedMultiplyAdd(step, index, -1f)
            : MathF.FusedMultiplyAdd(-step, n - index - 1, 1f);
    }
}
