using System.Buffers;
using GenMetrics.Imaging;

namespace GenMetrics.Metrics;

/// <summary>Multi-scale SSIM (MS-SSIM) of an image pair, as pytorch-msssim's <c>ms_ssim</c> computes it (float64 input).</summary>
/// <remarks>
/// Five levels with weights (0.0448, 0.2856, 0.3001, 0.2363, 0.1333). Each level filters with pytorch-msssim's
/// 11-tap Gaussian (σ = 1.5, built in float32 as the reference does) as a valid convolution and averages the
/// contrast-structure map cs (levels 1–4) or the SSIM map (level 5) per channel; between levels both images are
/// 2×2 average-pooled with padding (H mod 2, W mod 2) and count_include_pad. MS-SSIM = mean over channels of
/// Π relu(v_l)^w_l. The smaller side must exceed (11−1)·2⁴ = 160 pixels. Parity: |Δ| ≤ 1e-6 against the
/// float64 goldens of <c>golden/ssim/ssim.json</c> (measured max in docs/imaging.md); the reference's float32
/// mode differs from its float64 mode by up to ~1.4e-5.
/// </remarks>
public static class MsSsim
{
    /// <summary>The level weights.</summary>
    public static IReadOnlyList<double> Weights { get; } = [0.0448, 0.2856, 0.3001, 0.2363, 0.1333];

    /// <summary>Side of pytorch-msssim's Gaussian window (win_size), σ = <see cref="Ssim.GaussianSigma"/>.</summary>
    public const int WindowSize = 11;

    /// <summary>The smallest allowed value of min(width, height): it must be greater than 160.</summary>
    public const int MinimumSide = 161;

    /// <summary>MS-SSIM of <paramref name="reference"/> and <paramref name="distorted"/> (same size, min side ≥ 161).</summary>
    /// <exception cref="GenMetricsException">The sizes differ or the image is too small for five levels.</exception>
    public static double Compute(RgbImage reference, RgbImage distorted)
    {
        using var planes = PixelPairPlanes.From(reference, distorted);
        int minSide = Math.Min(planes.Width, planes.Height);
        if (minSide < MinimumSide)
        {
            throw new GenMetricsException(
                $"image of {planes.Width}x{planes.Height} is too small for MS-SSIM: the smaller side must be > 160 pixels (5 levels of an 11-tap window, as pytorch-msssim asserts); use ssim instead");
        }
        var perChannel = new double[planes.Channels];
        Parallel.For(0, planes.Channels, c => perChannel[c] = Channel(planes.ReferencePlane(c), planes.DistortedPlane(c), planes.Width, planes.Height));
        double sum = 0;
        foreach (double v in perChannel) sum += v;
        return sum / perChannel.Length;
    }

    /// <summary>pytorch-msssim's single-scale <c>ssim</c> (float64): the first level's mean SSIM map.</summary>
    internal static double SingleScale(RgbImage reference, RgbImage distorted)
    {
        using var planes = PixelPairPlanes.From(reference, distorted);
        var w = SsimWindowWeights.PytorchMsssimGaussian;
        double sum = 0;
        for (int c = 0; c < planes.Channels; c++)
        {
            sum += SsimKernel.Compute(planes.ReferencePlane(c), planes.DistortedPlane(c), planes.Width, planes.Height, w, Ssim.C1, Ssim.C2).MeanSsim;
        }
        return sum / planes.Channels;
    }

    private static double Channel(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int width, int height)
    {
        var window = SsimWindowWeights.PytorchMsssimGaussian;
        double[]? xBuffer = null, yBuffer = null;
        try
        {
            double product = 1;
            for (int level = 0; level < Weights.Count; level++)
            {
                var sums = SsimKernel.Compute(x, y, width, height, window, Ssim.C1, Ssim.C2);
                bool last = level == Weights.Count - 1;
                double value = Math.Max(0, last ? sums.MeanSsim : sums.MeanContrastStructure);
                product *= Math.Pow(value, Weights[level]);
                if (last) break;
                var (w2, h2) = PooledSize(width, height);
                var nextX = ArrayPool<double>.Shared.Rent(w2 * h2);
                var nextY = ArrayPool<double>.Shared.Rent(w2 * h2);
                AveragePool2x2(x, width, height, nextX);
                AveragePool2x2(y, width, height, nextY);
                if (xBuffer is not null) ArrayPool<double>.Shared.Return(xBuffer);
                if (yBuffer is not null) ArrayPool<double>.Shared.Return(yBuffer);
                (xBuffer, yBuffer, width, height) = (nextX, nextY, w2, h2);
                x = xBuffer.AsSpan(0, w2 * h2);
                y = yBuffer.AsSpan(0, w2 * h2);
            }
            return product;
        }
        finally
        {
            if (xBuffer is not null) ArrayPool<double>.Shared.Return(xBuffer);
            if (yBuffer is not null) ArrayPool<double>.Shared.Return(yBuffer);
        }
    }

    /// <summary>Output size of <see cref="AveragePool2x2"/>: (side + 2·(side mod 2) − 2)/2 + 1 per axis.</summary>
    internal static (int Width, int Height) PooledSize(int width, int height) =>
        ((width + 2 * (width % 2) - 2) / 2 + 1, (height + 2 * (height % 2) - 2) / 2 + 1);

    /// <summary>
    /// <c>avg_pool2d(kernel 2, stride 2, padding (H mod 2, W mod 2), count_include_pad=True)</c>: an odd side gets one
    /// zero row/column in front; every output is the sum of its cells, row by row, divided by 4.
    /// </summary>
    internal static void AveragePool2x2(ReadOnlySpan<double> input, int width, int height, Span<double> output)
    {
        int padH = height % 2, padW = width % 2;
        var (outW, outH) = PooledSize(width, height);
        for (int i = 0; i < outH; i++)
        {
            int r0 = 2 * i - padH;
            for (int j = 0; j < outW; j++)
            {
                int c0 = 2 * j - padW;
                double sum = 0;
                for (int r = Math.Max(r0, 0); r < Math.Min(r0 + 2, height); r++)
                {
                    for (int c = Math.Max(c0, 0); c < Math.Min(c0 + 2, width); c++) sum += input[r * width + c];
                }
                output[i * outW + j] = sum / 4;
            }
        }
    }
}
