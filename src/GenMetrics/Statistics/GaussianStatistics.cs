namespace GenMetrics.Statistics;

/// <summary>
/// The mean and covariance of a feature set (what FID compares), with the optional float32 mean that
/// torch-fidelity uses, the sample count when known, the raw sums when known (for merging) and provenance.
/// </summary>
public sealed class GaussianStatistics
{
    /// <summary>Creates statistics from a mean and a full d×d row-major covariance.</summary>
    public GaussianStatistics(double[] mean, double[] covariance, StatsProvenance provenance,
        long? count = null, float[]? meanFloat32 = null, FeatureStatistics? sums = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(covariance);
        if (covariance.Length != (long)mean.Length * mean.Length)
        {
            throw new GenMetricsException($"sigma has {covariance.Length} values but mu has {mean.Length}; sigma must be {mean.Length}x{mean.Length}");
        }
        Mean = mean;
        Covariance = covariance;
        Provenance = provenance;
        Count = count;
        MeanFloat32 = meanFloat32;
        Sums = sums;
    }

    /// <summary>Feature dimension d.</summary>
    public int Dimension => Mean.Length;

    /// <summary>μ (float64).</summary>
    public double[] Mean { get; }

    /// <summary>Σ, full d×d row-major.</summary>
    public double[] Covariance { get; }

    /// <summary>Provenance (protocol, weights, layer).</summary>
    public StatsProvenance Provenance { get; }

    /// <summary>Number of samples, when known.</summary>
    public long? Count { get; }

    /// <summary>torch-fidelity's float32 μ, when known.</summary>
    public float[]? MeanFloat32 { get; }

    /// <summary>The raw sums (n, Σx, ΣxxT), when known (a single pass, or a stats file written with its sums).</summary>
    public FeatureStatistics? Sums { get; }

    /// <summary>The float32 row-order sum behind <see cref="MeanFloat32"/> when there are no <see cref="Sums"/> (merged statistics).</summary>
    internal float[]? SumFloat32 { get; init; }

    /// <summary>Statistics of an accumulator: μ, Σ (N−1 by default) and the float32 μ.</summary>
    public static GaussianStatistics From(FeatureStatistics sums, StatsProvenance provenance,
        CovarianceNormalization normalization = CovarianceNormalization.SampleNMinus1)
    {
        ArgumentNullException.ThrowIfNull(sums);
        return new GaussianStatistics(sums.Mean(), sums.Covariance(normalization), provenance, sums.Count, sums.MeanFloat32(), sums);
    }
}
