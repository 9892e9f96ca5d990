using GenMetrics.Imaging;

namespace GenMetrics.Metrics;

/// <summary>Structural similarity (SSIM) of an image pair, as scikit-image 0.19 <c>structural_similarity</c> computes it.</summary>
/// <remarks>
/// SSIM = mean over the cropped map of ((2μxμy + C1)(2σxy + C2)) / ((μx² + μy² + C1)(σx² + σy² + C2)),
/// C1 = (0.01·255)², C2 = (0.03·255)², data range 255, float64; the map is cropped by (win−1)/2 on every border
/// (skimage's crop of its reflect-filtered map); RGB is the mean of the three per-channel values; a pair of gray
/// images is one channel (skimage was given the 2-D arrays). Two conventions (<see cref="SsimWindow"/>):
/// Gaussian (Wang et al., default) and Uniform (skimage defaults). Parity: |Δ| ≤ 1e-7 against
/// <c>golden/ssim/ssim.json</c> (measured max in docs/imaging.md). Channels are computed in parallel; the result
/// does not depend on the thread count.
/// </remarks>
public static class Ssim
{
    /// <summary>The data range L of 8-bit images.</summary>
    public const double DataRange = 255;

    /// <summary>K1 of Wang et al., shared by every tool.</summary>
    public const double K1 = 0.01;

    /// <summary>K2 of Wang et al., shared by every tool.</summary>
    public const double K2 = 0.03;

    /// <summary>σ of the Gaussian window (skimage gaussian_weights, pytorch-msssim win_sigma).</summary>
    public const double GaussianSigma = 1.5;

    /// <summary>C1 = (K1·L)².</summary>
    public const double C1 = K1 * DataRange * (K1 * DataRange);

    /// <summary>C2 = (K2·L)².</summary>
    public const double C2 = K2 * DataRange * (K2 * DataRange);

    /// <summary>The window side (11 for Gaussian, 7 for Uniform); both images must be at least this large.</summary>
    public static int WindowSize(SsimWindow window) => SsimWindowWeights.For(window).Size;

    /// <summary>SSIM of <paramref name="reference"/> and <paramref name="distorted"/> (same size).</summary>
    /// <exception cref="GenMetricsException">The sizes differ, or a side is smaller than the window.</exception>
    public static double Compute(RgbImage reference, RgbImage distorted, SsimWindow window = SsimWindow.Gaussian)
    {
        var weights = SsimWindowWeights.For(window);
        using var planes = PixelPairPlanes.From(reference, distorted);
        if (planes.Width < weights.Size || planes.Height < weights.Size)
        {
            throw new GenMetricsException(
                $"image of {planes.Width}x{planes.Height} is smaller than the {weights.Size}x{weights.Size} SSIM window; use larger images");
        }
        var perChannel = new double[planes.Channels];
        Parallel.For(0, planes.Channels, c =>
            perChannel[c] = SsimKernel.Compute(planes.ReferencePlane(c), planes.DistortedPlane(c), planes.Width, planes.Height, weights, C1, C2).MeanSsim);
        double sum = 0;
        foreach (double v in perChannel) sum += v;
        return sum / perChannel.Length;
    }
}
