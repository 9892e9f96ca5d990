using GenMetrics.Features;
using GenMetrics.Statistics;

namespace GenMetrics.Metrics;

/// <summary>
/// Writes ADM reference batch statistics (<see cref="AdmReferenceStatistics"/>) of an image input: one network
/// pass gives pool3 and the spatial features; μ (float32 <c>np.mean</c>) and Σ (float64 <c>np.cov</c>, N−1) of each,
/// as the evaluator's <c>compute_statistics</c> makes them.
/// </summary>
internal static class AdmStatisticsWriter
{
    /// <summary>Computes and writes the statistics; returns the pool3 half.</summary>
    public static GaussianStatistics Write(string inputPath, string outputPath, ImageFeatureSettings images)
    {
        if (!DistributionEvaluation.IsImageInput(inputPath))
        {
            throw new GenMetricsException($"{inputPath}: ADM reference statistics need images (a folder, .zip or ADM batch with arr_0), which give both pool3 and the spatial sFID features");
        }
        using var provider = new ImageFeatureProvider(images, KnownProtocols.Adm.Name);
        var input = MetricInput.LoadAdm(inputPath, provider, needFeatures: true, withLogits: false);
        var pool3 = Statistics(input, AdmReferenceStatistics.Pool3Provenance(provider.WeightsSha256));
        var spatial = Statistics(input.Spatial!, new StatsProvenance(KnownProtocols.Adm.Name, provider.WeightsSha256, AdmReferenceStatistics.SpatialLayer));
        AdmReferenceStatistics.Write(outputPath, pool3, spatial);
        return pool3;
    }

    private static GaussianStatistics Statistics(MetricInput input, StatsProvenance provenance)
    {
        var features = input.Features ?? throw new GenMetricsException($"{input.Path}: no per-image features to compute statistics from");
        if (input.Rows < 2) throw new GenMetricsException($"{input.Path}: statistics need at least 2 images, got {input.Rows}");
        FeatureMagnitude.Require(features, input.Columns, FeatureMagnitude.DistancesAndCovariance, input.Path, "statistics");
        var sums = new FeatureStatistics(input.Columns);
        sums.Add(features);
        var stats = GaussianStatistics.From(sums, provenance);
        return new GaussianStatistics(stats.Mean, stats.Covariance, provenance, stats.Count, stats.MeanFloat32);
    }
}
