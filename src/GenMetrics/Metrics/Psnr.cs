using GenMetrics.Imaging;

namespace GenMetrics.Metrics;

/// <summary>Peak signal-to-noise ratio of an image pair, as scikit-image's <c>peak_signal_noise_ratio(data_range=255)</c>.</summary>
/// <remarks>
/// PSNR = 10·log10(255² / MSE), MSE = mean of squared differences over all samples (the squared-error sum is an
/// exact integer). Identical images give +∞ (skimage divides by zero). Parity: |Δ| ≤ 1e-6 dB against
/// <c>golden/ssim/ssim.json</c> (measured max in docs/imaging.md). A gray pair gives the same MSE as one channel.
/// </remarks>
public static class Psnr
{
    /// <summary>The data range of 8-bit images.</summary>
    public const double DataRange = 255;

    /// <summary>PSNR in dB of a same-size pair; +∞ when identical.</summary>
    /// <exception cref="GenMetricsException">The sizes differ.</exception>
    public static double Compute(RgbImage reference, RgbImage distorted)
    {
        long sse = SquaredErrorSum(reference, distorted);
        return FromMeanSquaredError((double)sse / reference.Pixels.Length);
    }

    /// <summary>10·log10(255² / mse); +∞ for mse = 0.</summary>
    public static double FromMeanSquaredError(double meanSquaredError) =>
        meanSquaredError == 0 ? double.PositiveInfinity : 10 * Math.Log10(DataRange * DataRange / meanSquaredError);

    /// <summary>Σ (reference − distorted)² over every sample, exact.</summary>
    /// <exception cref="GenMetricsException">The sizes differ.</exception>
    public static long SquaredErrorSum(RgbImage reference, RgbImage distorted)
    {
        PixelPairPlanes.RequireSameSize(reference, distorted);
        var a = reference.Pixels.AsSpan();
        var b = distorted.Pixels.AsSpan();
        long total = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int d = a[i] - b[i];
            total += d * d;
        }
        return total;
    }
}
