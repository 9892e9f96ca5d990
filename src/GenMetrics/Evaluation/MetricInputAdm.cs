using GenMetrics.Checkpoints;
using GenMetrics.Imaging;
using GenMetrics.Networks;
using GenMetrics.Statistics;

using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>How an input is read under the ADM protocol: pool3 plus the spatial (sFID) half.</summary>
public sealed partial class MetricInput
{
    private MetricInput(MetricInput pool3, GaussianStatistics? statistics, MetricInput? spatial)
        : this(pool3.Path, pool3._features, pool3.Rows, pool3.Columns, statistics, pool3._logits)
    {
        FeatureRows = pool3.FeatureRows;
        LogitRows = pool3.LogitRows;
        Spatial = spatial;
    }

    /// <summary>
    /// The sFID half of an ADM input (2023-d spatial features and/or <c>mu_s</c>/<c>sigma_s</c>), or null when the
    /// input has none (a .npy pool3 matrix, a pytorch-fid statistics file).
    /// </summary>
    public MetricInput? Spatial { get; }

    /// <summary>
    /// Loads an input as the ADM evaluator reads it. An ADM reference batch (<c>arr_0</c> plus <c>mu</c>,
    /// <c>sigma</c>, <c>mu_s</c>, <c>sigma_s</c>) gives its stored statistics, which FID and sFID use as the
    /// evaluator does, and runs the network on <c>arr_0</c> only when per-image features are needed
    /// (<paramref name="needFeatures"/>, <paramref name="withLogits"/>); a sample batch or image folder/zip gives pool3,
    /// spatial features and logits from one pass; a statistics-only .npz gives its statistics; a .npy its pool3 rows.
    /// </summary>
    internal static MetricInput LoadAdm(string path, ImageFeatureProvider images, bool needFeatures, bool withLogits)
    {
        ArgumentNullException.ThrowIfNull(path);
        bool batch = AdmBatchFile.IsBatch(path);
        bool npz = path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase);
        GaussianStatistics? pool3Stats = null, spatialStats = null;
        int batchCount = 0;
        if (npz && File.Exists(path))
        {
            bool hasStatistics = true;
            if (batch)
            {
                var file = AdmBatchFile.Open(path);
                batchCount = file.Count;
                hasStatistics = file.HasStatistics;
            }
            if (hasStatistics)
            {
                pool3Stats = AdmReferenceStatistics.ReadPool3(path);
                if (NpzFile.ReadKeys(path).Any(k => k is "mu_s" or "sigma_s")) spatialStats = AdmReferenceStatistics.ReadSpatial(path);
            }
        }
        if (!batch && !DistributionEvaluation.IsImageInput(path))
        {
            if (pool3Stats is null) return Load(path); // .npy pool3 features (or a clear error)
            var statsOnly = new MetricInput(path, null, (int)Math.Min(int.MaxValue, pool3Stats.Count ?? 0), pool3Stats.Dimension, pool3Stats);
            return new MetricInput(statsOnly, pool3Stats, spatialStats is null ? null : StatisticsOnly(path, spatialStats));
        }
        bool runNetwork = needFeatures || withLogits || pool3Stats is null || spatialStats is null;
        if (!runNetwork)
        {
            var statsOnly = new MetricInput(path, null, batchCount, pool3Stats!.Dimension, pool3Stats);
            return new MetricInput(statsOnly, pool3Stats, StatisticsOnly(path, spatialStats!, batchCount));
        }
        var layers = new List<FidInceptionLayer> { FidInceptionLayer.Pool3 };
        if (spatialStats is null) layers.Add(FidInceptionLayer.Spatial);
        if (withLogits) layers.Add(FidInceptionLayer.LogitsUnbiased);
        var features = images.Get(path, layers);
        var (values, rows, columns) = features[FidInceptionLayer.Pool3];
        var pool3 = FromFloat32(path, values, rows, columns, withLogits ? features[FidInceptionLayer.LogitsUnbiased].Values : null);
        MetricInput spatial;
        if (spatialStats is null)
        {
            var (s, sRows, sColumns) = features[FidInceptionLayer.Spatial];
            spatial = FromFloat32(path, s, sRows, sColumns, null);
        }
        else
        {
            spatial = StatisticsOnly(path, spatialStats, rows);
        }
        return new MetricInput(pool3, pool3Stats, spatial);
    }

    private static MetricInput StatisticsOnly(string path, GaussianStatistics stats, int rows = 0) =>
        new(path, null, rows > 0 ? rows : (int)Math.Min(int.MaxValue, stats.Count ?? 0), stats.Dimension, stats);
}
