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
        var loaded = LoadFileInputs(paths, statisticsOnly: metrics == DistributionMetrics.Fid);
        string protocol = options.Protocol;
        if (!options.ProtocolExplicit)
        {
            var fromStats = loaded.Select(m => m?.Statistics?.Provenance.Protocol).FirstOrDefault(p => !string.IsNullOrEmpty(p) && EvaluationOptions.Protocols.Contains(p));
            if (fromStats is not null) protocol = fromStats;
        }
        if (!options.ProtocolExplicit && paths.Any(p => p is not null && AdmBatchFile.IsBatch(p))) protocol = KnownProtocols.Adm.Name;
        options = options with { Protocol = protocol, ProtocolExplicit = options.ProtocolExplicit || protocol != options.Protocol };
        if (protocol == KnownProtocols.Adm.Name) return EvaluateAdm(realPath, fakePath, metrics, options, images);
        if ((metrics & DistributionMetrics.SpatialFid) != 0) throw SpatialFidNeedsAdm();
        if (paths.Any(p => p is not null && IsImageInput(p)))
        {
            StatsProvenance provenance;
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
                provenance = new StatsProvenance(protocol, provider.WeightsSha256, (options.Dimensions ?? 2048).ToString(CultureInfo.InvariantCulture));
            }
            return Evaluate(loaded[0], loaded[1]!, metrics, options, provenance);
        }
        return Evaluate(loaded[0], loaded[1]!, metrics, options);
    }

    /// <summary>
    /// The ADM evaluator's suite: inputs read by <see cref="MetricInput.LoadAdm"/> (reference batches keep their stored
    /// statistics), one network pass per image input giving pool3, spatial features and logits.
    /// </summary>
    private static EvaluationResult EvaluateAdm(string? realPath, string fakePath, DistributionMetrics metrics, EvaluationOptions options,
        ImageFeatureSettings images)
    {
        if (options.Dimensions is int dims && dims != 2048) throw new GenMetricsException($"--dims {dims}: the adm protocol uses pool3 (2048) and the 2023-d spatial features; drop --dims");
        using var provider = new ImageFeatureProvider(images, KnownProtocols.Adm.Name);
        bool needFeatures = (metrics & (DistributionMetrics.Kid | DistributionMetrics.Prdc)) != 0;
        bool logits = (metrics & DistributionMetrics.InceptionScore) != 0 && options.LogitsPath is null;
        MetricInput? real = realPath is null ? null : MetricInput.LoadAdm(realPath, provider, needFeatures, withLogits: false);
        MetricInput fake = MetricInput.LoadAdm(fakePath, provider, needFeatures, withLogits: logits && DistributionEvaluation.IsImageInput(fakePath));
        bool usedNetwork = new[] { (realPath, real), (fakePath, fake) }.Any(x => x.Item1 is not null && IsImageInput(x.Item1) && x.Item2?.Features is not null);
        var provenance = usedNetwork ? AdmReferenceStatistics.Pool3Provenance(provider.WeightsSha256) : null;
        return Evaluate(real, fake, metrics, options, provenance);
    }

    private static GenMetricsException SpatialFidNeedsAdm() =>
        new("sFID is the ADM evaluator's metric; pass --protocol adm (or ADM batches, which select it)");

    /// <summary>
    /// Loads the inputs that are files (.npy/.npz; stats files keep sigma's Cholesky factor from their validation) and
    /// leaves image inputs null; with <paramref name="statisticsOnly"/> (FID alone) a feature matrix is streamed into its sums. Two file inputs are read at the same time (each read is independent, so the values do not depend on it); when both fail, REAL's error is the one
    /// reported, as when they were read in order.
    /// </summary>
    private static MetricInput?[] LoadFileInputs(string?[] paths, bool statisticsOnly)
    {
        var loaded = new MetricInput?[paths.Length];
        var files = Enumerable.Range(0, paths.Length).Where(i => paths[i] is { } p && !IsImageInput(p)).ToArray();
        if (files.Length < 2)
        {
            foreach (int i in files) loaded[i] = LoadFileInput(paths[i]!, statisticsOnly);
            return loaded;
        }
        var errors = new Exception?[paths.Length];
        Parallel.ForEach(files, i =>
        {
            try
            {
                loaded[i] = LoadFileInput(paths[i]!, statisticsOnly);
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

    private static MetricInput LoadFileInput(string path, bool statisticsOnly) =>
        statisticsOnly && path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)
            ? MetricInput.LoadForStatistics(path)
            : MetricInput.Load(path, keepCovarianceFactor: true);

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
        bool adm = protocol == KnownProtocols.Adm.Name;
        if ((metrics & DistributionMetrics.SpatialFid) != 0 && !adm) throw SpatialFidNeedsAdm();
        if ((metrics & DistributionMetrics.Fid) != 0) result = result with { Fid = ComputeFid(real!, fake, protocol, options, featureProvenance) };
        if (adm && ((metrics & DistributionMetrics.SpatialFid) != 0 || ((metrics & DistributionMetrics.Fid) != 0 && real!.Spatial is not null && fake.Spatial is not null)))
        {
            result = result with { SpatialFid = ComputeSpatialFid(real!, fake, options, featureProvenance) };
        }
        if ((metrics & DistributionMetrics.InceptionScore) != 0)
        {
            if (adm && (options.Splits != MetricDefaults.InceptionScoreSplits || options.Shuffle != MetricDefaults.InceptionScoreShuffle))
            {
                warnings.Add($"the adm protocol splits the Inception Score every {AdmInceptionScore.SplitSize} rows without shuffle; --splits and --no-shuffle do not apply");
            }
            result = result with { InceptionScore = ComputeInceptionScore(fake, protocol, options, adm) };
        }
        if ((metrics & DistributionMetrics.Kid) != 0)
        {
            RequireMagnitude(real!, FeatureMagnitude.Kid, "KID");
            RequireMagnitude(fake, FeatureMagnitude.Kid, "KID");
            result = result with
            {
                Kid = ProtocolMetricRules.ComputeKid(protocol, real!.RequireFeatures("KID"), fake.RequireFeatures("KID"), fake.Columns,
                    options.Subsets, KidSubsetSize(protocol, options.SubsetSize, real.Rows, fake.Rows), options.Seed),
            };
        }
        var manifold = metrics & DistributionMetrics.Prdc;
        if (manifold != 0)
        {
            var realFeatures = real!.RequireFeatures("precision/recall/density/coverage");
            var fakeFeatures = fake.RequireFeatures("precision/recall/density/coverage");
            var requests = new List<KNearestManifolds.Request>();
            var prConvention = adm ? NeighbourhoodConvention.Adm : NeighbourhoodConvention.TorchFidelity;
            if ((manifold & DistributionMetrics.PrecisionRecall) != 0) requests.Add(new(options.PrecisionRecallK, prConvention));
            if ((manifold & DistributionMetrics.DensityCoverage) != 0) requests.Add(new(options.DensityCoverageK, NeighbourhoodConvention.Prdc));
            RequireMagnitude(real, FeatureMagnitude.DistancesAndCovariance, "precision/recall/density/coverage");
            RequireMagnitude(fake, FeatureMagnitude.DistancesAndCovariance, "precision/recall/density/coverage");
            FeatureSets.Validate(realFeatures, fakeFeatures, real.Columns);
            var counts = KNearestManifolds.Evaluate(realFeatures, real.Rows, fakeFeatures, fake.Rows, real.Columns, requests,
                options.NearestRealNeighbours, out var neighbours, options.MaxThreads);
            result = result with { FakeNeighbours = neighbours };
            int t = 0;
            if ((manifold & DistributionMetrics.PrecisionRecall) != 0)
            {
                result = result with { PrecisionRecall = Metrics.PrecisionRecall.FromCounts(counts[t++], prConvention) };
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
        // ADM takes sample_stats.frechet_distance(ref_stats): Σ1 is the sample's. A stats file read here comes with
        // sigma's factor from its validation, so Σ1 is not factored twice; Σ2's factor is not needed after its
        // validation, so its d×d array becomes FID's work matrix (no fresh 32 MiB at d = 2048).
        return protocol == KnownProtocols.Adm.Name
            ? Fid.Compute(fake.ToStatistics(provenance), real.ToStatistics(provenance), protocol, options.MaxThreads, fake.CovarianceFactor, real.CovarianceFactor?.U)
            : Fid.Compute(real.ToStatistics(provenance), fake.ToStatistics(provenance), protocol, options.MaxThreads, real.CovarianceFactor, fake.CovarianceFactor?.U);
    }

    /// <summary>sFID: ADM's <c>sample_stats_s.frechet_distance(ref_stats_s)</c> on the spatial halves (float32 μ).</summary>
    private static FrechetResult ComputeSpatialFid(MetricInput real, MetricInput fake, EvaluationOptions options, StatsProvenance? featureProvenance)
    {
        foreach (var input in new[] { real, fake })
        {
            if (input.Spatial is null)
            {
                throw new GenMetricsException($"{input.Path}: sFID needs the spatial features: pass images, an ADM batch (arr_0) or ADM statistics with mu_s and sigma_s, not a pool3 feature matrix or a pytorch-fid statistics file");
            }
        }
        var spatialReal = real.Spatial!;
        var spatialFake = fake.Spatial!;
        foreach (var input in new[] { spatialReal, spatialFake })
        {
            if (input.Statistics is { } stats) FeatureMagnitude.RequireCovariance(stats.Covariance, stats.Dimension, input.Path);
            else RequireMagnitude(input, FeatureMagnitude.DistancesAndCovariance, "sFID");
        }
        if (spatialReal.Columns != spatialFake.Columns)
        {
            throw new GenMetricsException($"spatial feature dimension mismatch: {real.Path} has {spatialReal.Columns}, {fake.Path} has {spatialFake.Columns}; ADM's sFID features are 2023-d");
        }
        var provenance = new StatsProvenance(KnownProtocols.Adm.Name, featureProvenance?.Weights ?? "", AdmReferenceStatistics.SpatialLayer);
        return Fid.Compute(spatialFake.ToStatistics(provenance), spatialReal.ToStatistics(provenance), KnownProtocols.Adm.Name, options.MaxThreads);
    }

    /// <summary>The protocol's KID subset size (clean-fid: min(n_real, n_fake, requested)); unknown names keep the request.</summary>
    private static int KidSubsetSize(string protocol, int requested, int realRows, int fakeRows) =>
        Features.KnownProtocols.Find(protocol)?.KidSubsetSize(requested, realRows, fakeRows) ?? requested;

    /// <summary>The <see cref="FeatureMagnitude"/> check on an input's features (a statistics file has none).</summary>
    private static void RequireMagnitude(MetricInput input, double limit, string metric)
    {
        if (input.Features is { } values) FeatureMagnitude.Require(values, input.Columns, limit, input.Path, metric);
    }

    private static InceptionScoreResult ComputeInceptionScore(MetricInput fake, string protocol, EvaluationOptions options, bool adm)
    {
        if (options.LogitsPath is null && fake.Logits is not null)
        {
            return adm ? AdmInceptionScore.Compute(fake.Logits, 1008) : ProtocolMetricRules.ComputeInceptionScore(protocol, fake.Logits, 1008, options.Splits, options.Shuffle, options.Seed);
        }
        MetricInput logits = options.LogitsPath is null ? fake : MetricInput.Load(options.LogitsPath);
        var values = logits.RequireFeatures("Inception Score");
        // The FID Inception's classifier has 1008 outputs; any other width is another layer or another network.
        if (logits.Columns != 1008)
        {
            throw new GenMetricsException($"{logits.Path}: Inception Score needs logits (N x 1008), got {logits.Columns}-d features; pass --logits FILE.npy or image inputs");
        }
        return adm ? AdmInceptionScore.Compute(values, logits.Columns) : ProtocolMetricRules.ComputeInceptionScore(protocol, values, logits.Columns, options.Splits, options.Shuffle, options.Seed);
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
        bool adm = options.Protocol == KnownProtocols.Adm.Name || (!options.ProtocolExplicit && AdmBatchFile.IsBatch(inputPath));
        if (adm)
        {
            if (shard is not null) throw new GenMetricsException($"{inputPath}: ADM reference statistics cannot be sharded (they hold no mergeable sums); run stats --protocol adm on the whole input");
            if (options.Dimensions is int d0 && d0 != 2048) throw new GenMetricsException($"--dims {d0}: the adm protocol writes pool3 (2048) and spatial (2023) statistics; drop --dims");
            return AdmStatisticsWriter.Write(inputPath, outputPath, images);
        }
        if (!IsImageInput(inputPath))
        {
            if (shard is not null) throw new GenMetricsException($"{inputPath}: a shard needs an image folder or .zip, not a feature or statistics file");
            var input = MetricInput.LoadForStatistics(inputPath);
            if (options.Dimensions is int dims && dims != input.Columns)
            {
                throw new GenMetricsException($"{input.Path}: features have {input.Columns} dimensions but --dims is {dims}");
            }
            return WriteStatistics(input, outputPath, new StatsProvenance(options.Protocol, weightsLabel, input.Columns.ToString(CultureInfo.InvariantCulture)));
        }
        using var provider = new ImageFeatureProvider(images, options.Protocol);
        int d = options.Dimensions ?? 2048;
        var loaded = MetricInput.LoadImageStatistics(inputPath, provider, LayerFor(d), shard);
        return WriteStatistics(loaded, outputPath, new StatsProvenance(options.Protocol, provider.WeightsSha256, d.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary>Builds and writes a stats file from a feature matrix.</summary>
    public static GaussianStatistics WriteStatistics(MetricInput input, string outputPath, StatsProvenance provenance)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Statistics is not null) input.RequireFeatures("stats");
        if (input.Rows < 2) throw new GenMetricsException($"{input.Path}: statistics need at least 2 samples, got {input.Rows}");
        var stats = input.ToStatistics(provenance);
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
