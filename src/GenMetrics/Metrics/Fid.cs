using GenMetrics.Features;
using GenMetrics.Statistics;

namespace GenMetrics.Metrics;

/// <summary>
/// Fréchet Inception Distance from feature statistics, with each reference tool's convention for μ:
/// pytorch-fid uses the float64 mean; torch-fidelity and clean-fid keep <c>np.mean</c> of float32 features in
/// float32 and form μ1−μ2 in float32 (Σ is float64 <c>np.cov</c> in all three). The distance itself is
/// <see cref="FrechetDistance"/>.
/// </summary>
/// <remarks>
/// Parity: see <see cref="FrechetDistance"/> (1e-6 relative at full rank; ~1e-3 absolute when n &lt; d, where the
/// references' own rounding noise dominates). torch-fidelity golden FID 66.61060726 is reproduced to 5.7e-4.
/// </remarks>
public static class Fid
{
    /// <summary>FID between two sets of statistics with the μ convention of <paramref name="protocol"/>.</summary>
    /// <param name="first">Σ1, μ1 (REAL for the pytorch-fid, torch-fidelity, clean-fid and torchmetrics protocols).</param>
    /// <param name="second">Σ2, μ2.</param>
    /// <param name="protocol">A member of <see cref="KnownProtocols"/>; null: <see cref="KnownProtocols.PytorchFid"/> (the float64 mean).</param>
    /// <param name="maxThreads">Threads of the matrix work (-1: all cores).</param>
    public static FrechetResult Compute(GaussianStatistics first, GaussianStatistics second, PreprocessingProtocol? protocol = null, int maxThreads = -1) =>
        Compute(first, second, protocol ?? KnownProtocols.PytorchFid, maxThreads, null);

    /// <summary>
    /// <see cref="Compute(GaussianStatistics, GaussianStatistics, PreprocessingProtocol?, int)"/> with Σ1's pivoted Cholesky
    /// factor when already known, and optionally a spare d×d buffer the computation may overwrite (see <see cref="FrechetDistance"/>).
    /// </summary>
    internal static FrechetResult Compute(GaussianStatistics first, GaussianStatistics second, PreprocessingProtocol protocol, int maxThreads,
        Numerics.PivotedCholesky.Factor? firstCovarianceFactor, double[]? workspace = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Dimension != second.Dimension)
        {
            throw new GenMetricsException($"feature dimension mismatch: {first.Dimension} vs {second.Dimension}; both inputs must come from the same layer");
        }
        double meanDistance = 0;
        if (protocol.Mean == FidMean.Float32)
        {
            float[] m1 = first.MeanFloat32 ?? Array.ConvertAll(first.Mean, v => (float)v);
            float[] m2 = second.MeanFloat32 ?? Array.ConvertAll(second.Mean, v => (float)v);
            for (int i = 0; i < m1.Length; i++)
            {
                float diff = m1[i] - m2[i];
                meanDistance += (double)diff * diff;
            }
        }
        else
        {
            for (int i = 0; i < first.Dimension; i++)
            {
                double diff = first.Mean[i] - second.Mean[i];
                meanDistance += diff * diff;
            }
        }
        return FrechetDistance.Compute(meanDistance, first.Covariance, second.Covariance, first.Dimension, maxThreads, firstCovarianceFactor, workspace);
    }
}
