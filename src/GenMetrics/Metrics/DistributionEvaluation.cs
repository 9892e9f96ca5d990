using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Networks;
using GenMetrics.Imaging;
using GenMetrics.Statistics;

namespace GenMetrics.Metrics;

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
        var loaded = LoadFileInputs(paths);
        string protocol = options.Protocol;
        if (!options.ProtocolExplicit)
        {
            var fromStats = loaded.Select(m => m?.Statistics?.Provenance.Protocol).FirstOrDefault(p => !string.IsNullOrEmpty(p) && EvaluationOptions.Protocols.Contains(p));
            if (fromStats is not null) protocol = fromStats;
        }
        options = options with { Protocol = protocol, ProtocolExplicit = options.ProtocolExplicit || protocol != options.Protocol };
        if (paths.Any(p => p is not null && IsImageInput(p)))
        {
            using var provider = new ImageFeatureProvider(images, protocol);
            var layer = isOnly ? FidInceptionLayer.LogitsUnbiased : LayerFor(options.Dimensions ?? 2048);
            bool logits = (metrics & DistributionMetrics.InceptionScore) != 0 && options.LogitsPath is null;
            if (paths[0] is { } r && IsImageInput(r)) loaded[0] = MetricInput.Load(r, provider, layer, withLogits: false);
            if (IsImageInput(fakePath)) loaded[1] = MetricInput.Load(fakePath, provider, layer, withLogits: logits);
            var provenance = new StatsProvenance(protocol, provider.WeightsSha256, (options.Dimensions ?? 2048).ToString(CultureInfo.InvariantCulture));
            return Evaluate(loaded[0], loaded[1]!, metrics, options, provenance);
        }
        return Evaluate(loaded[0], loaded[1]!, metrics, options);
    }

    /// <summary>
    /// Loads the inputs that are files (.npy/.npz; stats files keep sigma's Cholesky factor from their validation) and
    /// leaves image inputs null. Two file inputs are read at the same time (each read is independent, so the values do not depend on it); when both fail, REAL's error is the one
    /// reported, as when they were read in order.
    /// </summary>
    private static MetricInput?[] LoadFileInputs(string?[] paths)
    {
        var loaded = new MetricInput?[paths.Length];
        var files = Enumerable.Range(0, paths.Length).Where(i => paths[i] is { } p && !IsImageInput(p)).ToArray();
        if (files.Length < 2)
        {
            foreach (int i in files) loaded[i] = MetricInput.Load(paths[i]!, keepCovarianceFactor: true);
            return loaded;
        }
        var errors = new Exception?[paths.Length];
        Parallel.ForEach(files, i =>
        {
            try
            {
                loaded[i] = MetricInput.Load(paths[i]!, keepCovarianceFactor: true);
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

    /// <summary>Whether a path is an image folder, a zip or an image file (not .npy/.npz).</summary>
    public static bool IsImageInput(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (Directory.Exists(path)) return true;
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext == ".zip") return true;
        if (ext is ".npy" or ".npz") return false;
        return Imaging.ImageExtensions.IsImage(path);
    }

    /// <summary>The network layer of a feature dimension (64, 192, 768, 2048).</summary>
    internal static FidInceptionLayer LayerFor(int dims) => dims switch
    {
        64 => FidInceptionLayer.Block64,
        192 => FidInceptionLayer.Block192,
        768 => FidInceptionLayer.Block768,
        2048 => FidInceptionLayer.Pool3,
        _ => throw new GenMetricsException($"--dims {dims} is not a FID Inception layer; use 64, 192, 768 or 2048"),
    };

    /// <summary>Evaluates; <paramref name="real"/> may be null only when just IS is requested.</summary>
    public static EvaluationResult Evaluate(MetricInput? real, MetricInput fake, DistributionMetrics metrics, EvaluationOptions options) =>
        Evaluate(real, fake, metrics, options, null);

    private static EvaluationResult Evaluate(MetricInput? real, MetricInput fake, DistributionMetrics metrics, EvaluationOptions options,
        StatsProvenance? featureProvenance)
    {
        ArgumentNullException.ThrowIfNull(fake);
        ArgumentNullException.ThrowIfNull(options);
        if (!EvaluationOptions.Protocols.Contains(options.Protocol))
        {
            throw new GenMetricsException($"unknown protocol '{options.Protocol}'; use one of {string.Join(", ", EvaluationOptions.Protocols)}");
        }
        var warnings = new List<string>();
        bool needsReal = (metrics & ~DistributionMetrics.InceptionScore) != 0;
        if (needsReal && real is null) throw new GenMetricsException("this metric compares two sets: pass REAL and FAKE");
        string protocol = ResolveProtocol(real, fake, options, warnings);
        if (featureProvenance is not null)
        {
            foreach (var input in new[] { real, fake })
            {
                if (input?.Statistics is not { } stats) continue;
                string? conflict = stats.Provenance.FirstConflict(featureProvenance);
                if (conflict is null) continue;
                if (!options.Force) throw new GenMetricsException($"{input.Path}: made differently from the image features ({conflict}); recompute it, or pass --force");
                warnings.Add($"{input.Path} differs from the image features in {conflict}; compared anyway (--force)");
            }
        }
        if (real is not null && needsReal)
        {
            if (real.Columns != fake.Columns)
            {
                throw new GenMetricsException($"feature dimension mismatch: {real.Path} has {real.Columns}, {fake.Path} has {fake.Columns}; both must come from the same layer");
            }
            if (options.Dimensions is int dims && real.Columns != dims)
            {
                throw new GenMetricsException($"{real.Path}: features have {real.Columns} dimensions but --dims is {dims}");
            }
        }
        var result = new EvaluationResult
        {
            Protocol = protocol,
            RealCount = real?.Rows ?? 0,
            FakeCount = fake.Rows,
            Warnings = warnings,
        };
        if (needsReal)
        {
            if (real!.Statistics is null && real.Rows < 2) throw new GenMetricsException($"{real.Path}: need at least 2 samples, got {real.Rows}");
            if (fake.Statistics is null && fake.Rows < 2) throw new GenMetricsException($"{fake.Path}: need at least 2 samples, got {fake.Rows}");
        }
        if ((metrics & DistributionMetrics.Fid) != 0) result = result with { Fid = ComputeFid(real!, fake, protocol, options, featureProvenance) };
        if ((metrics & DistributionMetrics.InceptionScore) != 0) result = result with { InceptionScore = ComputeInceptionScore(fake, options) };
        if ((metrics & DistributionMetrics.Kid) != 0)
        {
            RequireMagnitude(real!, FeatureMagnitude.Kid, "KID");
            RequireMagnitude(fake, FeatureMagnitude.Kid, "KID");
            result = result with
            {
                Kid = Metrics.Kid.Compute(fake.RequireFeatures("KID"), real!.RequireFeatures("KID"), fake.Columns,
                    options.Subsets, options.SubsetSize, options.Seed),
            };
        }
        var manifold = metrics & DistributionMetrics.Prdc;
        if (manifold != 0)
        {
            var realFeatures = real!.RequireFeatures("precision/recall/density/coverage");
            var fakeFeatures = fake.RequireFeatures("precision/recall/density/coverage");
            var requests = new List<KNearestManifolds.Request>();
            if ((manifold & DistributionMetrics.PrecisionRecall) != 0) requests.Add(new(options.PrecisionRecallK, NeighbourhoodConvention.TorchFidelity));
            if ((manifold & DistributionMetrics.DensityCoverage) != 0) requests.Add(new(options.DensityCoverageK, NeighbourhoodConvention.Prdc));
            RequireMagnitude(real, FeatureMagnitude.DistancesAndCovariance, "precision/recall/density/coverage");
            RequireMagnitude(fake, FeatureMagnitude.DistancesAndCovariance, "precision/recall/density/coverage");
            FeatureSets.Validate(realFeatures, fakeFeatures, real.Columns);
            var counts = KNearestManifolds.Evaluate(realFeatures, real.Rows, fakeFeatures, fake.Rows, real.Columns, requests, options.MaxThreads);
            int t = 0;
            if ((manifold & DistributionMetrics.PrecisionRecall) != 0)
            {
                result = result with { PrecisionRecall = Metrics.PrecisionRecall.FromCounts(counts[t++], NeighbourhoodConvention.TorchFidelity) };
            }
            if ((manifold & DistributionMetrics.DensityCoverage) != 0)
            {
                result = result with { DensityCoverage = Metrics.DensityCoverage.FromCounts(counts[t], options.DensityCoverageK) };
            }
        }
        return result;
    }

    private static string ResolveProtocol(MetricInput? real, MetricInput fake, EvaluationOptions options, List<string> warnings)
    {
        var known = new[] { real?.Statistics, fake.Statistics }.Where(s => s is not null).Select(s => s!).ToList();
        if (known.Count == 2)
        {
            string? conflict = known[0].Provenance.FirstConflict(known[1].Provenance);
            if (conflict is not null)
            {
                if (!options.Force)
                {
                    throw new GenMetricsException($"{real!.Path} and {fake.Path} were made differently ({conflict}); recompute one of them, or pass --force to compare anyway");
                }
                warnings.Add($"statistics differ in {conflict}; compared anyway (--force)");
            }
        }
        string protocol = options.Protocol;
        foreach (var s in known)
        {
            string p = s.Provenance.Protocol;
            if (p.Length == 0 || p == protocol) continue;
            if (!options.ProtocolExplicit && EvaluationOptions.Protocols.Contains(p))
            {
                protocol = p;
                continue;
            }
            if (!options.Force)
            {
                throw new GenMetricsException($"statistics were made with protocol '{p}' but '{protocol}' was requested; pass --protocol {p}, or --force to compare anyway");
            }
            warnings.Add($"statistics protocol '{p}' differs from '{protocol}'; compared anyway (--force)");
        }
        if (options.Dimensions is int dims)
        {
            foreach (var s in known)
            {
                if (s.Dimension != dims) throw new GenMetricsException($"statistics have {s.Dimension} dimensions but --dims is {dims}");
            }
        }
        return protocol;
    }

    private static FrechetResult ComputeFid(MetricInput real, MetricInput fake, string protocol, EvaluationOptions options, StatsProvenance? featureProvenance)
    {
        foreach (var input in new[] { real, fake })
        {
            if (input.Statistics is { } stats) FeatureMagnitude.RequireCovariance(stats.Covariance, stats.Dimension, input.Path);
            else RequireMagnitude(input, FeatureMagnitude.DistancesAndCovariance, "FID");
        }
        var provenance = featureProvenance ?? new StatsProvenance(protocol, "", real.Columns.ToString(CultureInfo.InvariantCulture));
        // A stats file read here comes with sigma's factor from its validation: Σ1 is not factored twice.
        return Fid.Compute(real.ToStatistics(provenance), fake.ToStatistics(provenance), protocol, options.MaxThreads, real.CovarianceFactor);
    }

    /// <summary>The <see cref="FeatureMagnitude"/> check on an input's features (a statistics file has none).</summary>
    private static void RequireMagnitude(MetricInput input, double limit, string metric)
    {
        if (input.Features is { } values) FeatureMagnitude.Require(values, input.Columns, limit, input.Path, metric);
    }

    private static InceptionScoreResult ComputeInceptionScore(MetricInput fake, EvaluationOptions options)
    {
        if (options.LogitsPath is null && fake.Logits is not null)
        {
            return Metrics.InceptionScore.Compute(fake.Logits, 1008, options.Splits, options.Shuffle, options.Seed);
        }
        MetricInput logits = options.LogitsPath is null ? fake : MetricInput.Load(options.LogitsPath);
        var values = logits.RequireFeatures("Inception Score");
        // The FID Inception's classifier has 1008 outputs; any other width is another layer or another network.
        if (logits.Columns != 1008)
        {
            throw new GenMetricsException($"{logits.Path}: Inception Score needs logits (N x 1008), got {logits.Columns}-d features; pass --logits FILE.npy or image inputs");
        }
        return Metrics.InceptionScore.Compute(values, logits.Columns, options.Splits, options.Shuffle, options.Seed);
    }

    /// <summary>
    /// Builds and writes a stats file from a feature matrix (.npy) or images (one feature pass, cached), with
    /// provenance (protocol, weights SHA-256 for images, layer). With <paramref name="shard"/>, only that block of the
    /// sorted images (see <see cref="ImageShard"/>); the shards' sums merge into the statistics of the whole input.
    /// </summary>
    public static GaussianStatistics WriteStatistics(string inputPath, string outputPath, EvaluationOptions options, ImageFeatureSettings images,
        string weightsLabel = "", ImageShard? shard = null)
    {
        ArgumentNullException.ThrowIfNull(inputPath);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(images);
        if (!IsImageInput(inputPath))
        {
            if (shard is not null) throw new GenMetricsException($"{inputPath}: a shard needs an image folder or .zip, not a feature or statistics file");
            var input = MetricInput.Load(inputPath);
            if (options.Dimensions is int dims && dims != input.Columns)
            {
                throw new GenMetricsException($"{input.Path}: features have {input.Columns} dimensions but --dims is {dims}");
            }
            return WriteStatistics(input, outputPath, new StatsProvenance(options.Protocol, weightsLabel, input.Columns.ToString(CultureInfo.InvariantCulture)));
        }
        using var provider = new ImageFeatureProvider(images, options.Protocol);
        int d = options.Dimensions ?? 2048;
        var loaded = MetricInput.Load(inputPath, provider, LayerFor(d), withLogits: false, shard);
        return WriteStatistics(loaded, outputPath, new StatsProvenance(options.Protocol, provider.WeightsSha256, d.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Builds and writes a stats file from a feature matrix.</summary>
    public static GaussianStatistics WriteStatistics(MetricInput input, string outputPath, StatsProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = input.RequireFeatures("stats");
        if (input.Rows < 2) throw new GenMetricsException($"{input.Path}: statistics need at least 2 samples, got {input.Rows}");
        var acc = new FeatureStatistics(input.Columns);
        acc.Add(features);
        var stats = GaussianStatistics.From(acc, provenance);
        StatsFile.Write(outputPath, stats);
        return stats;
    }

    /// <summary>Merges stats files that carry sums (n, Σx, ΣxxT) into one, refusing mixed provenance unless forced.</summary>
    public static GaussianStatistics MergeStatistics(IReadOnlyList<string> paths, string outputPath, bool force)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count < 2) throw new GenMetricsException("merge-stats needs at least two stats files");
        FeatureStatistics? merged = null;
        StatsProvenance? provenance = null;
        foreach (string path in paths)
        {
            var s = StatsFile.Read(path);
            if (s.Sums is null)
            {
                throw new GenMetricsException($"{path}: has only mu/sigma (no n, sum, sum_xxT), so it cannot be merged; recreate it with 'genmetrics stats'");
            }
            if (provenance is null)
            {
                provenance = s.Provenance;
                merged = new FeatureStatistics(s.Sums.Count, s.Sums.Sum(), s.Sums.SumOfOuterProducts(), s.Sums.SumFloat32());
                continue;
            }
            if (s.Dimension != merged!.Dimension) throw new GenMetricsException($"{path}: {s.Dimension} dimensions, but {paths[0]} has {merged.Dimension}");
            string? conflict = provenance.FirstConflict(s.Provenance);
            if (conflict is not null && !force)
            {
                throw new GenMetricsException($"{path}: made differently from {paths[0]} ({conflict}); pass --force to merge anyway");
            }
            merged.Merge(s.Sums);
        }
        var result = GaussianStatistics.From(merged!, provenance!);
        StatsFile.Write(outputPath, result);
        return result;
    }
}
