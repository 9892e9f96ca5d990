namespace GenMetrics.Metrics;

/// <summary>The SSIM convention: the window and the covariance estimator.</summary>
public enum SsimWindow
{
    /// <summary>
    /// Wang et al. 2004 (the default): 11-tap Gaussian, σ = 1.5 (scipy truncate 3.5), population covariance. Same as
    /// scikit-image <c>structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False)</c>.
    /// </summary>
    Gaussian,

    /// <summary>scikit-image's own default: 7×7 uniform window, sample covariance (N/(N−1), N = 49).</summary>
    Uniform,
}
