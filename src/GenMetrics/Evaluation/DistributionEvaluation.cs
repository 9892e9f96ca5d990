using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Networks;
using GenMetrics.Imaging;
using GenMetrics.Statistics;

using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>
/// Computes the requested distribution metrics from two inputs (REAL first, as prdc's
/// <c>compute_prdc(real, fake)</c>): each input is loaded once and feeds every metric; IS is computed on FAKE.
/// The CLI verbs <c>fid</c>, <c>is</c>, <c>kid</c>, <c>prdc</c> and <c>eval</c> all go through here.
/// </summary>
public static class DistributionEvaluation
{
    /// <summary>
    /// Evaluates from paths: .npy/.npz inputs are read, image folders/zips go through one feature pass each
    /// (FAKE's pass also yields the logits for IS) with the on-disk cache. <paramref name="realPath"/> may be
    /// null only when just IS is requested.
    /// </summary>
    public static EvaluationResult Evaluate(string? realPath, string fakePath, DistributionMetrics metrics, EvaluationOptions options,
        ImageFeatureSettings images)
    {
        ArgumentNullException.ThrowIfNull(fakePath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(images);
        bool isOnly = metrics == DistributionMetrics.InceptionScore;
        var paths = new[] { realPath, fakePath };
        // FID alone needs only n, Σx and ΣxxT: a feature matrix is streamed, never held whole.
        var loaded = LoadFileInputs(paths, statisticsOnly: metrics == DistributionMetrics.Fid, options.MaxThreads);
        // Unset, the protocol is the inputs': ADM batches select adm, else the first statistics file's recorded one.
        var protocol = options.Protocol
            ?? (paths.Any(p => p is not null && AdmBatchFile.IsBatch(p)) ? KnownProtocols.Adm : null)
            ?? MetricComputation.RecordedProtocol(loaded.Select(m => m?.Statistics))
            ?? options.DefaultProtocol;
        options = options with { Protocol = protocol };
        if (protocol.Rules == MetricRules.Adm) return EvaluateAdm(realPath, fakePath, metrics, options, images);
        if ((metrics & DistributionMetrics.SpatialFid) != 0) throw MetricComputation.SpatialFidNeedsAdm();
        if (paths.Any(p => p is not null && IsImageInput(p)))
        {
            StatsProvenance provenance;
            NetworkProvenance network;
            // The network is freed before the metrics' own work (FID's 2048² matrices), so the two peaks do not add.
            using (var provider = new ImageFeatureProvider(images, protocol))
            {
                var layer = isOnly ? FidInceptionLayer.LogitsUnbiased : LayerFor(options.Dimensions ?? 2048);
                bool logits = (metrics & DistributionMetrics.InceptionScore) != 0 && options.LogitsPath is null;
                bool fidOnly = metrics == DistributionMetrics.Fid;
                for (int i = 0; i < 2; i++)
                {
                    if (paths[i] is not { } p || !IsImageInput(p)) continue;
                    // FID alone keeps n, Σx and ΣxxT per set: features stream from the network, never held per image.
                    loaded[i] = fidOnly ? MetricInput.LoadImageStatistics(p, provider, layer)
                        : MetricInput.Load(p, provider, layer, withLogits: i == 1 && logits);
                }
                provenance = new StatsProvenance(protocol.Name, provider.WeightsSha256, (options.Dimensions ?? 2048).ToString(CultureInfo.InvariantCulture));
                network = provider.Provenance(layer);
            }
            return MetricComputation.Compute(loaded[0], loaded[1]!, metrics, options, provenance, network);
        }
        return MetricComputation.Compute(loaded[0], loaded[1]!, metrics, options, null);
    }

    /// <summary>
    /// The ADM evaluator's suite: inputs read by <see cref="MetricInput.LoadAdm"/> (reference batches keep their stored
    /// statistics), one network pass per image input giving pool3, spatial features and logits.
    /// </summary>
    private static EvaluationResult EvaluateAdm(string? realPath, string fakePath, DistributionMetrics metrics, EvaluationOptions options,
        ImageFeatureSettings images)
    {
        if (options.Dimensions is int dims && dims != 2048) throw new GenMetricsException($"EvaluationOptions.Dimensions is {dims}, but the adm protocol uses pool3 (2048) and the 2023-d spatial features; leave it unset") { ParameterName = nameof(EvaluationOptions.Dimensions) };
        using var provider = new ImageFeatureProvider(images, KnownProtocols.Adm);
        bool needFeatures = (metrics & (DistributionMetrics.Kid | DistributionMetrics.Prdc)) != 0;
        bool logits = (metrics & DistributionMetrics.InceptionScore) != 0 && options.LogitsPath is null;
        MetricInput? real = realPath is null ? null : MetricInput.LoadAdm(realPath, provider, needFeatures, withLogits: false);
        MetricInput fake = MetricInput.LoadAdm(fakePath, provider, needFeatures, withLogits: logits && DistributionEvaluation.IsImageInput(fakePath));
        bool usedNetwork = new[] { (realPath, real), (fakePath, fake) }.Any(x => x.Item1 is not null && IsImageInput(x.Item1) && x.Item2?.HasFeatures == true);
        var provenance = usedNetwork ? AdmReferenceStatistics.Pool3Provenance(provider.WeightsSha256) : null;
        return MetricComputation.Compute(real, fake, metrics, options, provenance, usedNetwork ? provider.Provenance(FidInceptionLayer.Pool3) : null);
    }

    /// <summary>
    /// Loads the inputs that are files (.npy/.npz; stats files keep sigma's Cholesky factor from their validation) and
    /// leaves image inputs null; with <paramref name="statisticsOnly"/> (FID alone) a feature matrix is streamed into its sums. Two file inputs are read at the same time (each read is independent, so the values do not depend on it); when both fail, REAL's error is the one
    /// reported, as when they were read in order. <paramref name="maxThreads"/> (-1: all cores) caps the threads of the
    /// covariance factorisations, shared between the inputs read at once.
    /// </summary>
    private static MetricInput?[] LoadFileInputs(string?[] paths, bool statisticsOnly, int maxThreads)
    {
        int threads = maxThreads > 0 ? Math.Min(maxThreads, Environment.ProcessorCount) : Environment.ProcessorCount;
        var loaded = new MetricInput?[paths.Length];
        var files = Enumerable.Range(0, paths.Length).Where(i => paths[i] is { } p && !IsImageInput(p)).ToArray();
        if (files.Length < 2)
        {
            foreach (int i in files) loaded[i] = LoadFileInput(paths[i]!, statisticsOnly, factorThreads: threads);
            return loaded;
        }
        var errors = new Exception?[paths.Length];
        // Both inputs load at once, one per core: each covariance is then factored on its own core's thread, rather
        // than two factorisations contending for both cores (the factor's bits do not depend on the thread count).
        int factorThreads = Math.Max(1, threads / files.Length);
        Parallel.ForEach(files, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
        {
            try
            {
                loaded[i] = LoadFileInput(paths[i]!, statisticsOnly, factorThreads);
            }
            catch (Exception e)
            {
                errors[i] = e;
            }
        });
        foreach (var e in errors)
        {
            if (e is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e);
        }
        return loaded;
    }

    private static MetricInput LoadFileInput(string path, bool statisticsOnly, int factorThreads) =>
        statisticsOnly && path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
            ? MetricInput.LoadForStatistics(path)
            : MetricInput.Load(path, keepCovarianceFactor: true, factorThreads);

    /// <summary>Whether a path is an image folder, a zip, an image file or an ADM batch (.npz with arr_0); not .npy or a statistics .npz.</summary>
    public static bool IsImageInput(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) return true;
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".zip") return true;
        if (ext == ".npz") return Imaging.AdmBatchFile.IsBatch(path); // an ADM batch (arr_0) holds images
        if (ext == ".npy") return false;
        return Imaging.ImageExtensions.IsImage(path);
    }

    /// <summary>The network layer of a feature dimension (64, 192, 768, 2048).</summary>
    internal static FidInceptionLayer LayerFor(int dims) => dims switch
    {
        64 => FidInceptionLayer.Block64,
        192 => FidInceptionLayer.Block192,
        768 => FidInceptionLayer.Block768,
        2048 => FidInceptionLayer.Pool3,
        _ => throw new GenMetricsException($"Dimensions {dims} is not a FID Inception layer; use 64, 192, 768 or 2048") { ParameterName = nameof(EvaluationOptions.Dimensions) },
    };

    /// <summary>Evaluates; <paramref name="real"/> may be null only when just IS is requested.</summary>
    public static EvaluationResult Evaluate(MetricInput? real, MetricInput fake, DistributionMetrics metrics, EvaluationOptions options) =>
        MetricComputation.Compute(real, fake, metrics, options, null);

    /// <summary>
    /// Builds and writes a stats file from a feature matrix (.npy) or images (one feature pass, cached), with
    /// provenance (protocol, weights SHA-256 for images, layer). With <paramref name="shard"/>, only that block of the
    /// sorted images (see <see cref="ImageShard"/>); the shards' (n, μ, Σ) merge into the statistics of the whole input.
    /// <paramref name="fileOptions"/> choose compression and the raw sums (<see cref="StatsFileOptions.Default"/> when null).
    /// </summary>
    public static GaussianStatistics WriteStatistics(string inputPath, string outputPath, EvaluationOptions options, ImageFeatureSettings images,
        string weightsLabel = "", ImageShard? shard = null, StatsFileOptions? fileOptions = null)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(images);
        bool adm = options.Protocol == KnownProtocols.Adm || (options.Protocol is null && AdmBatchFile.IsBatch(inputPath));
        if (adm)
        {
            if (shard is not null) throw new GenMetricsException($"{inputPath}: ADM reference statistics cannot be sharded (they hold no mergeable sums); write them from the whole input (shard null)") { ParameterName = nameof(shard) };
            if (options.Dimensions is int d0 && d0 != 2048) throw new GenMetricsException($"EvaluationOptions.Dimensions is {d0}, but the adm protocol writes pool3 (2048) and spatial (2023) statistics; leave it unset") { ParameterName = nameof(EvaluationOptions.Dimensions) };
            return AdmStatisticsWriter.Write(inputPath, outputPath, images);
        }
        if (!IsImageInput(inputPath))
        {
            if (shard is not null) throw new GenMetricsException($"{inputPath}: a shard needs an image folder or .zip, not a feature or statistics file");
            var input = MetricInput.LoadForStatistics(inputPath);
            if (options.Dimensions is int dims && dims != input.Columns)
            {
                throw new GenMetricsException($"{input.Path}: features have {input.Columns} dimensions but EvaluationOptions.Dimensions is {dims}") { ParameterName = nameof(EvaluationOptions.Dimensions) };
            }
            return WriteStatistics(input, outputPath, new StatsProvenance(options.ProtocolOrDefault.Name, weightsLabel, input.Columns.ToString(CultureInfo.InvariantCulture)), fileOptions);
        }
        using var provider = new ImageFeatureProvider(images, options.ProtocolOrDefault);
        int d = options.Dimensions ?? 2048;
        var loaded = MetricInput.LoadImageStatistics(inputPath, provider, LayerFor(d), shard);
        return WriteStatistics(loaded, outputPath, new StatsProvenance(options.ProtocolOrDefault.Name, provider.WeightsSha256, d.ToString(CultureInfo.InvariantCulture)), fileOptions);
    }

    /// <summary>Builds and writes a stats file from a feature matrix (<paramref name="fileOptions"/>: compression and sums; <see cref="StatsFileOptions.Default"/> when null).</summary>
    public static GaussianStatistics WriteStatistics(MetricInput input, string outputPath, StatsProvenance provenance, StatsFileOptions? fileOptions = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Statistics is not null) input.RequireFeatures("stats");
        if (input.Rows < 2) throw new GenMetricsException($"{input.Path}: statistics need at least 2 samples, got {input.Rows}");
        var stats = input.ToStatistics(provenance);
        StatsFile.Write(outputPath, stats, fileOptions);
        return stats;
    }

    /// <summary>
    /// Merges stats files that carry a sample count <c>n</c> (with or without the raw sums) into the statistics of
    /// their union (<see cref="StatisticsMerge"/>: the pairwise update of n, μ, Σ), refusing mixed provenance unless
    /// forced; one file is rewritten as it is (with <paramref name="fileOptions"/>).
    /// </summary>
    public static GaussianStatistics MergeStatistics(IReadOnlyList<string> paths, string outputPath, bool force, StatsFileOptions? fileOptions = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count < 1) throw new GenMetricsException("merge-stats needs at least one stats file");
        StatisticsMerge? merged = null;
        foreach (string path in paths)
        {
            // sum_xxT is not needed: n, mu and sigma merge exactly (the stored sum is still checked against n and mu).
            var s = StatsFile.Read(path, includeSums: false);
            if (s.Count is null)
            {
                throw new GenMetricsException($"{path}: has only mu/sigma (no sample count n), so it cannot be merged; recreate it with 'genmetrics stats'");
            }
            float[]? sumFloat32 = StatsFile.ReadSumFloat32(path);
            if (merged is null)
            {
                merged = new StatisticsMerge(s, sumFloat32);
                continue;
            }
            if (s.Dimension != merged.Dimension) throw new GenMetricsException($"{path}: {s.Dimension} dimensions, but {paths[0]} has {merged.Dimension}");
            string? conflict = merged.Provenance.FirstConflict(s.Provenance);
            if (conflict is not null && !force)
            {
                throw new GenMetricsException($"{path}: made differently from {paths[0]} ({conflict}); set force to merge anyway") { ParameterName = nameof(force) };
            }
            merged.Add(s, sumFloat32);
        }
        var result = merged!.Result();
        StatsFile.Write(outputPath, result, fileOptions);
        return result;
    }
}
