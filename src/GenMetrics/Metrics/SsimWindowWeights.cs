namespace GenMetrics.Metrics;

/// <summary>The 1-D taps of an SSIM window (applied along rows, then columns) and its covariance normalisation.</summary>
internal sealed class SsimWindowWeights
{
    private SsimWindowWeights(double[] taps, double covarianceNorm)
    {
        Taps = taps;
        CovarianceNorm = covarianceNorm;
    }

    public double[] Taps { get; }

    public int Size => Taps.Length;

    /// <summary>1 for the population estimator, N/(N−1) with N = Size² for the sample estimator.</summary>
    public double CovarianceNorm { get; }

    /// <summary>scipy.ndimage.gaussian_filter(sigma=1.5, truncate=3.5): radius int(3.5·1.5+0.5) = 5, exp(−x²/(2σ²)) normalised in float64.</summary>
    public static SsimWindowWeights ScikitGaussian { get; } = CreateScikitGaussian(Ssim.GaussianSigma, 3.5);

    /// <summary>scipy.ndimage.uniform_filter(size=7) with skimage's sample covariance 49/48.</summary>
    public static SsimWindowWeights ScikitUniform { get; } = new(Enumerable.Repeat(1.0 / 7, 7).ToArray(), 49.0 / 48.0);

    /// <summary>
    /// pytorch-msssim's <c>_fspecial_gauss_1d(11, 1.5)</c>: computed in float32 (coords − 5, exp(−c²/4.5), divided by
    /// the float32 sum) and only then widened to float64, as the reference does even for float64 input.
    /// </summary>
    public static SsimWindowWeights PytorchMsssimGaussian { get; } = CreateFloat32Gaussian(MsSsim.WindowSize, Ssim.GaussianSigma);

    internal static SsimWindowWeights FromTaps(double[] taps, double covarianceNorm) => new(taps, covarianceNorm);

    public static SsimWindowWeights For(SsimWindow window) => window switch
    {
        SsimWindow.Gaussian => ScikitGaussian,
        SsimWindow.Uniform => ScikitUniform,
        _ => throw new ArgumentOutOfRangeException(nameof(window), window, "unknown SSIM window"),
    };

    private static SsimWindowWeights CreateScikitGaussian(double sigma, double truncate)
    {
        int radius = (int)(truncate * sigma + 0.5);
        var taps = new double[2 * radius + 1];
        double sum = 0;
        for (int i = 0; i < taps.Length; i++)
        {
            double x = i - radius;
            taps[i] = Math.Exp(-0.5 / (sigma * sigma) * (x * x));
            sum += taps[i];
        }
        for (int i = 0; i < taps.Length; i++) taps[i] /= sum;
        return new SsimWindowWeights(taps, 1.0);
    }

    private static SsimWindowWeights CreateFloat32Gaussian(int size, double sigma)
    {
        var g = new float[size];
        float denominator = (float)(2 * sigma * sigma);
        double exactSum = 0;
        for (int i = 0; i < size; i++)
        {
            float c = i - size / 2;
            g[i] = MathF.Exp(-(c * c) / denominator);
            exactSum += g[i];
        }
        // torch's vectorised float32 sum equals the once-rounded sum here (a left-to-right float32 sum does not: it
        // is one ulp off, which E[x²] − μ² amplifies to ~1e-6 in SSIM). Measured: with these taps the single-scale
        // SSIM matches pytorch-msssim's float64 goldens to 2e-16.
        float sum = (float)exactSum;
        var taps = new double[size];
        for (int i = 0; i < size; i++) taps[i] = g[i] / sum;
        return new SsimWindowWeights(taps, 1.0);
    }
}
