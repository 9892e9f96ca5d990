using GenMetrics.Evaluation;
using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Statistics;

namespace GenMetrics.Metrics;

/// <summary>
/// Writes an ADM reference batch (<see cref="AdmReferenceStatistics"/>) of an image input: one network pass gives
/// pool3 and the spatial features; μ (float32 <c>np.mean</c>) and Σ (float64 <c>np.cov</c>, N−1) of each, as the
/// evaluator's <c>compute_statistics</c> makes them, plus the images as <c>arr_0</c> when they share one size, so
/// the file also serves the evaluator's <c>main()</c> as <c>ref_batch</c>.
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
        using var provider = new ImageFeatureProvider(images, KnownProtocols.Adm);
        var input = MetricInput.LoadAdm(inputPath, provider, needFeatures: true, withLogits: false);
        var pool3 = Statistics(input, AdmReferenceStatistics.Pool3Provenance(provider.WeightsSha256));
        var spatial = Statistics(input.Spatial!, new StatsProvenance(KnownProtocols.Adm.Name, provider.WeightsSha256, AdmReferenceStatistics.SpatialLayer));
        var stack = ImageStack(inputPath);
        try
        {
            AdmReferenceStatistics.Write(outputPath, pool3, spatial, stack);
        }
        catch (GenMetricsException) when (stack?.MixedSizes == true)
        {
            // Images of several sizes cannot form arr_0: the statistics alone are still what read_statistics reads.
            AdmReferenceStatistics.Write(outputPath, pool3, spatial, null);
        }
        return pool3;
    }

    /// <summary>
    /// arr_0 for the output: an ADM batch's own images, or the images of a folder/zip stacked in sorted order (the size
    /// of the first decides; another size drops arr_0). Null for a single image file.
    /// </summary>
    private static AdmImageStack? ImageStack(string inputPath)
    {
        if (AdmBatchFile.IsBatch(inputPath))
        {
            var batch = AdmBatchFile.Open(inputPath);
            return new AdmImageStack(batch.Count, batch.Height, batch.Width, batch.Images(), inputPath);
        }
        using (var probe = ImageSource.Open(inputPath))
        {
            if (probe.IsSingleFile || probe.Entries.Count == 0) return null;
            var first = probe.Entries[0].Decode();
            return new AdmImageStack(probe.Entries.Count, first.Height, first.Width, Decoded(inputPath), inputPath);
        }
    }

    private static IEnumerable<RgbImage> Decoded(string inputPath)
    {
        using var source = ImageSource.Open(inputPath);
        foreach (var entry in source.Entries) yield return entry.Decode();
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
