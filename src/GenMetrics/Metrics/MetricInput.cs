using GenMetrics.Checkpoints;
using GenMetrics.Statistics;

namespace GenMetrics.Metrics;

/// <summary>
/// One input of a distribution metric, as the user named it: a <c>.npy</c> matrix (features N×d, or logits
/// N×1008 for IS), a <c>.npz</c> statistics file (FID only), or an image folder/zip (needs the feature
/// extractor).
/// </summary>
public sealed class MetricInput
{
    private MetricInput(string path, double[]? features, int rows, int columns, GaussianStatistics? statistics)
    {
        Path = path;
        Features = features;
        Rows = rows;
        Columns = columns;
        Statistics = statistics;
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>Row-major N×d features (null for a stats file).</summary>
    public double[]? Features { get; }

    /// <summary>N (rows of the feature matrix, or the stats file's count when known, else 0).</summary>
    public int Rows { get; }

    /// <summary>d.</summary>
    public int Columns { get; }

    /// <summary>The statistics, when the input is a stats file.</summary>
    public GaussianStatistics? Statistics { get; }

    /// <summary>Loads an input; image folders and zips are refused with a clear message until extraction is wired.</summary>
    public static MetricInput Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path) || path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
        {
            throw new GenMetricsException($"{path}: image folders and zips need the Inception feature extractor, which this build does not include; pass features (.npy) or statistics (.npz)");
        }
        if (!File.Exists(path)) throw new GenMetricsException($"{path}: file not found");
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            var stats = StatsFile.Read(path, includeSums: false);
            return new MetricInput(path, null, (int)Math.Min(int.MaxValue, stats.Count ?? 0), stats.Dimension, stats);
        }
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            var array = NpyFile.Read(path);
            if (array.Shape.Length != 2)
            {
                throw new GenMetricsException($"{path}: expected a 2-D feature matrix (N x d), got shape ({string.Join(", ", array.Shape)})");
            }
            var values = array.ToFloat64();
            for (int i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    throw new GenMetricsException($"{path}: features contain NaN or infinity (row {i / array.Shape[1]}, column {i % array.Shape[1]}); recompute the features");
                }
            }
            return FromFeatures(path, values, array.Shape[0], array.Shape[1]);
        }
        throw new GenMetricsException($"{path}: unsupported input; use an image folder or .zip, a feature matrix (.npy) or a statistics file (.npz)");
    }

    /// <summary>Wraps an in-memory feature matrix.</summary>
    public static MetricInput FromFeatures(string name, double[] features, int rows, int columns)
    {
        ArgumentNullException.ThrowIfNull(features);
        if ((long)rows * columns != features.Length) throw new ArgumentException("features length does not match rows x columns");
        return new MetricInput(name, features, rows, columns, null);
    }

    /// <summary>The features, or a clear error naming the metric that needs them.</summary>
    public double[] RequireFeatures(string metric) =>
        Features ?? throw new GenMetricsException($"{Path}: {metric} needs per-sample features (.npy or images), not a statistics file");

    /// <summary>Gaussian statistics: the stats file's, or μ/Σ of the features (N−1).</summary>
    public GaussianStatistics ToStatistics(StatsProvenance provenance)
    {
        if (Statistics is not null) return Statistics;
        if (Rows < 2) throw new GenMetricsException($"{Path}: FID needs at least 2 samples, got {Rows}");
        var acc = new FeatureStatistics(Columns);
        acc.Add(Features!);
        return GaussianStatistics.From(acc, provenance);
    }
}
