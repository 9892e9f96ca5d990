using GenMetrics.Checkpoints;
using GenMetrics.Imaging;
using GenMetrics.Networks;
using GenMetrics.Statistics;

using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>
/// One input of a distribution metric, as the user named it: a <c>.npy</c> matrix (features N×d, or logits
/// N×1008 for IS), a <c>.npz</c> statistics file (FID only), or an image folder/zip (needs the feature
/// extractor).
/// </summary>
public sealed partial class MetricInput
{
    private readonly FeatureStatistics? _sums;
    private double[]? _features;
    private double[]? _logits;

    private MetricInput(string path, double[]? features, int rows, int columns, GaussianStatistics? statistics, double[]? logits = null,
        FeatureStatistics? sums = null)
    {
        _sums = sums;
        _logits = logits;
        Path = path;
        _features = features;
        Rows = rows;
        Columns = columns;
        Statistics = statistics;
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>
    /// Row-major N×d features (null for a stats file). Features that came as float32 (network outputs, a float32 .npy)
    /// are kept as such and read in place by the metrics; this property widens them to float64 on first use.
    /// </summary>
    public double[]? Features => _features ??= FeatureRows is { } rows ? Widen(rows) : null;

    /// <summary>Whether the input has per-sample features (float32 or float64).</summary>
    internal bool HasFeatures => _features is not null || FeatureRows is not null;

    /// <summary>N (rows of the feature matrix, or the stats file's count when known, else 0).</summary>
    public int Rows { get; }

    /// <summary>d.</summary>
    public int Columns { get; }

    /// <summary>N×1008 logits without the fc bias (IS), when extracted from images (widened from float32 on first use).</summary>
    public double[]? Logits => _logits ??= LogitRows is { } rows ? Widen(rows) : null;

    /// <summary>
    /// N×1008 float32 logits (the network's, or those a <see cref="DistributionEvaluator"/> gathered, not copied), used by
    /// the Inception Score in place of <see cref="Logits"/>.
    /// </summary>
    internal Float32Rows? LogitRows { get; private init; }

    /// <summary>
    /// Row-major N×d float32 features (the network's, a float32 .npy's, or those a <see cref="DistributionEvaluator"/>
    /// gathered, not copied): the metrics read them in place of <see cref="Features"/>.
    /// </summary>
    internal Float32Rows? FeatureRows { get; private init; }

    private static double[] Widen(Float32Rows rows)
    {
        var values = rows.AsSpan();
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    /// <summary>The statistics, when the input is a stats file (or an ADM reference batch, beside its features).</summary>
    public GaussianStatistics? Statistics { get; }

    /// <summary>
    /// The pivoted Cholesky factor of <see cref="Statistics"/>' covariance, when the stats file was read with
    /// <c>keepCovarianceFactor</c> (inputs that <see cref="DistributionEvaluation"/> loads itself and never hands out).
    /// </summary>
    internal Numerics.PivotedCholesky.Factor? CovarianceFactor { get; private init; }

    /// <summary>Loads a .npy or .npz input (image folders need <see cref="Load(string, ImageFeatureProvider?, FidInceptionLayer, bool, ImageShard?)"/>).</summary>
    public static MetricInput Load(string path) => Load(path, null, FidInceptionLayer.Pool3, false);

    /// <summary>
    /// Loads an input; image folders and zips go through <paramref name="images"/> (features of
    /// <paramref name="layer"/>, plus the unbiased logits when <paramref name="withLogits"/>); <paramref name="shard"/>
    /// keeps only that block of the sorted images.
    /// </summary>
    internal static MetricInput Load(string path, ImageFeatureProvider? images, FidInceptionLayer layer, bool withLogits, ImageShard? shard = null) =>
        Load(path, images, layer, withLogits, shard, keepCovarianceFactor: false);

    /// <summary>
    /// Loads a .npy or .npz input; a stats file's covariance factor is kept when <paramref name="keepCovarianceFactor"/>,
    /// factored on at most <paramref name="factorThreads"/> threads (-1: all cores).
    /// </summary>
    internal static MetricInput Load(string path, bool keepCovarianceFactor, int factorThreads = -1) =>
        Load(path, null, FidInceptionLayer.Pool3, false, null, keepCovarianceFactor, factorThreads);

    private static MetricInput Load(string path, ImageFeatureProvider? images, FidInceptionLayer layer, bool withLogits, ImageShard? shard,
        bool keepCovarianceFactor, int factorThreads = -1)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path) || path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || AdmBatchFile.IsBatch(path))
        {
            if (images is null)
            {
                throw new GenMetricsException($"{path}: image folders, zips and ADM batches (arr_0) need the Inception network: evaluate them by path (DistributionEvaluation.Evaluate) or with a DistributionEvaluator, or pass features (.npy) / statistics (.npz)");
            }
            FidInceptionLayer[] layers = withLogits ? [layer, FidInceptionLayer.LogitsUnbiased] : [layer];
            var features = images.Get(path, layers, shard);
            var (values, rows, columns) = features[layer];
            return FromFloat32(path, values, rows, columns, withLogits ? features[FidInceptionLayer.LogitsUnbiased].Values : null);
        }
        if (shard is not null) throw new GenMetricsException($"{path}: a shard needs an image folder or .zip, not a feature or statistics file");
        if (!File.Exists(path)) throw new GenMetricsException($"{path}: file not found");
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase))
        {
            var stats = StatsFile.Read(path, includeSums: false, keepCovarianceFactor, out var factor, factorThreads);
            return new MetricInput(path, null, (int)Math.Min(int.MaxValue, stats.Count ?? 0), stats.Dimension, stats) { CovarianceFactor = factor };
        }
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            // Float32 features (pytorch-fid's and torch-fidelity's dtype) stay float32: the metrics read them in place.
            var (rows32, values) = NpyFile.ReadFloat32OrFloat64(path, out int[] shape);
            if (shape.Length != 2)
            {
                throw new GenMetricsException($"{path}: expected a 2-D feature matrix (N x d), got shape ({string.Join(", ", shape)})");
            }
            if (rows32 is not null)
            {
                RequireFinite<float>(path, rows32, shape[1], 0);
                return FromFloat32(path, rows32, shape[0], shape[1], null);
            }
            RequireFinite<double>(path, values!, shape[1], 0);
            return FromFeatures(path, values!, shape[0], shape[1]);
        }
        throw new GenMetricsException($"{path}: unsupported input; use an image folder or .zip, a feature matrix (.npy) or a statistics file (.npz)");
    }

    /// <summary>
    /// Loads an input for FID alone: a <c>.npy</c> feature matrix is streamed a block of rows at a time into n, Σx
    /// and ΣxxT (<see cref="FeatureStatistics"/>), so memory is O(d²) whatever N and the rows are never held
    /// (<see cref="Features"/> is null); other inputs load as <see cref="Load(string)"/>.
    /// </summary>
    internal static MetricInput LoadForStatistics(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) || Directory.Exists(path)) return Load(path);
        using var reader = NpyRowReader.Open(path);
        if (reader is null) return Load(path); // Fortran order: rows are not contiguous, read whole
        if (reader.Rows > int.MaxValue) throw new GenMetricsException($"{path}: {reader.Rows} rows is more than a feature matrix may hold; split the file");
        int d = reader.Columns;
        if (d == 0) throw new GenMetricsException($"{path}: the feature matrix has no columns");
        var sums = reader.ReadStatistics((values, row) =>
        {
            RequireFinite(path, values, d, row);
            FeatureMagnitude.Require(values, d, FeatureMagnitude.DistancesAndCovariance, path, "FID", row);
        });
        return new MetricInput(path, null, (int)reader.Rows, d, null, null, sums);
    }

    /// <summary>
    /// Loads an image folder or zip for FID alone: the features stream into n, Σx and ΣxxT (memory O(d²) whatever
    /// the number of images); <see cref="Features"/> is null.
    /// </summary>
    internal static MetricInput LoadImageStatistics(string path, ImageFeatureProvider images, FidInceptionLayer layer, ImageShard? shard = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(images);
        var (sums, rows) = images.GetStatistics(path, layer, shard);
        return new MetricInput(path, null, rows, sums.Dimension, null, null, sums);
    }

    private static void RequireFinite<T>(string path, ReadOnlySpan<T> values, int columns, long firstRow)
        where T : System.Numerics.IFloatingPointIeee754<T>
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!T.IsFinite(values[i]))
            {
                throw new GenMetricsException($"{path}: features contain NaN or infinity (row {firstRow + i / columns}, column {i % columns}); recompute the features");
            }
        }
    }

    /// <summary>
    /// One side of a <see cref="DistributionEvaluator"/> as the metrics read it: <paramref name="statistics"/> loaded
    /// from a stats file, or the streamed <paramref name="sums"/> (FID), float32 <paramref name="rows"/> (KID,
    /// precision/recall, density/coverage) and <paramref name="logits"/> (IS) of <paramref name="count"/> samples.
    /// </summary>
    internal static MetricInput FromState(string name, long count, int columns, GaussianStatistics? statistics, FeatureStatistics? sums,
        Float32Rows? rows, Float32Rows? logits) =>
        new(name, null, (int)Math.Min(int.MaxValue, count), columns, statistics, null, sums) { FeatureRows = rows, LogitRows = logits };

    /// <summary>An input of float32 features (and logits), kept as float32.</summary>
    internal static MetricInput FromFloat32(string name, float[] features, int rows, int columns, float[]? logits) =>
        new(name, null, rows, columns, null)
        {
            FeatureRows = new Float32Rows(features),
            LogitRows = logits is null ? null : new Float32Rows(logits),
        };

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
        if (_sums is not null) return GaussianStatistics.From(_sums, provenance);
        var acc = new FeatureStatistics(Columns);
        if (FeatureRows is { } rows) acc.Add(rows.AsSpan());
        else acc.Add(Features!);
        return GaussianStatistics.From(acc, provenance);
    }
}
