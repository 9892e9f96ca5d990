using System.Globalization;
using GenMetrics.Features;
using GenMetrics.Metrics;
using GenMetrics.Statistics;

namespace GenMetrics.Evaluation;

/// <summary>
/// The one implementation of the distribution metrics over loaded inputs, from <see cref="MetricInput"/>s to an
/// <see cref="EvaluationResult"/>: protocol resolution against the inputs' provenance, the checks, and FID, sFID, IS,
/// KID, precision/recall and density/coverage under the protocol's rules. <see cref="DistributionEvaluation"/> (the
/// CLI verbs) and <see cref="DistributionEvaluator"/> (the stateful API) both compute through it.
/// </summary>
internal static class MetricComputation
{
    /// <summary>The first known protocol recorded in <paramref name="statistics"/>' provenance, or null.</summary>
    internal static PreprocessingProtocol? RecordedProtocol(IEnumerable<GaussianStatistics?> statistics)
    {
        foreach (var s in statistics)
        {
            if (KnownProtocols.TryGet(s?.Provenance.Protocol, out var recorded)) return recorded;
        }
        return null;
    }

    internal static GenMetricsException SpatialFidNeedsAdm() =>
        new("sFID is the ADM evaluator's metric; use the adm protocol (EvaluationOptions.Protocol = KnownProtocols.Adm), or ADM batches, which select it") { ParameterName = nameof(EvaluationOptions.Protocol) };

    /// <summary>
    /// Every requested metric of two loaded inputs (<paramref name="real"/> may be null only when just IS is
    /// requested); <paramref name="featureProvenance"/>, when the features came from images here, is checked against
    /// the statistics inputs' provenance.
    /// </summary>
    public static EvaluationResult Compute(MetricInput? real, MetricInput fake, DistributionMetrics metrics, EvaluationOptions options,
        StatsProvenance? featureProvenance, NetworkProvenance? network = null)
    {
        ArgumentNullException.ThrowIfNull(fake);
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        bool needsReal = (metrics & ~DistributionMetrics.InceptionScore) != 0;
        if (needsReal && real is null) throw new GenMetricsException("this metric compares two sets: pass REAL and FAKE");
        var protocol = ResolveProtocol(real, fake, options, warnings);
        if (featureProvenance is not null)
        {
            foreach (var input in new[] { real, fake })
            {
                if (input?.Statistics is not { } stats) continue;
                string? conflict = stats.Provenance.FirstConflict(featureProvenance);
                if (conflict is null) continue;
                if (!options.Force) throw new GenMetricsException($"{input.Path}: made differently from the image features ({conflict}); recompute it, or set EvaluationOptions.Force to compare anyway") { ParameterName = nameof(EvaluationOptions.Force) };
                warnings.Add($"{input.Path} differs from the image features in {conflict}; compared anyway (EvaluationOptions.Force)");
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
                throw new GenMetricsException($"{real.Path}: features have {real.Columns} dimensions but EvaluationOptions.Dimensions is {dims}") { ParameterName = nameof(EvaluationOptions.Dimensions) };
            }
        }
        var result = new EvaluationResult
        {
            Protocol = protocol,
            RealCount = real?.Rows ?? 0,
            FakeCount = fake.Rows,
            Dimensions = fake.Columns,
            Layer = network?.Layer,
            Network = network?.Network,
            WeightsFileName = network?.WeightsFileName,
            WeightsSha256 = network?.WeightsSha256,
            Warnings = warnings,
        };
        if (needsReal)
        {
            if (real!.Statistics is null && real.Rows < 2) throw new GenMetricsException($"{real.Path}: need at least 2 samples, got {real.Rows}");
            if (fake.Statistics is null && fake.Rows < 2) throw new GenMetricsException($"{fake.Path}: need at least 2 samples, got {fake.Rows}");
        }
        bool adm = protocol.Rules == MetricRules.Adm;
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
                warnings.Add($"the adm protocol splits the Inception Score every {AdmInceptionScore.SplitSize} rows without shuffle; EvaluationOptions.Splits and EvaluationOptions.Shuffle do not apply");
            }
            result = result with { InceptionScore = ComputeInceptionScore(fake, protocol, options) };
        }
        if ((metrics & DistributionMetrics.Kid) != 0)
        {
            RequireMagnitude(real!, FeatureMagnitude.Kid, "KID");
            RequireMagnitude(fake, FeatureMagnitude.Kid, "KID");
            int subsetSize = protocol.KidSubsetSize(options.SubsetSize, real!.Rows, fake.Rows);
            result = result with
            {
                Kid = real.FeatureRows is { } real32 && fake.FeatureRows is { } fake32
                    ? ProtocolMetricRules.ComputeKid(protocol, real32.AsSpan(), fake32.AsSpan(), fake.Columns,
                        options.Subsets, subsetSize, options.Seed)
                    : ProtocolMetricRules.ComputeKid(protocol, real.RequireFeatures("KID"), fake.RequireFeatures("KID"), fake.Columns,
                        options.Subsets, subsetSize, options.Seed),
            };
        }
        var manifold = metrics & DistributionMetrics.Prdc;
        if (manifold != 0)
        {
            var requests = new List<KNearestManifolds.Request>();
            var prConvention = adm ? NeighbourhoodConvention.Adm : NeighbourhoodConvention.TorchFidelity;
            if ((manifold & DistributionMetrics.PrecisionRecall) != 0) requests.Add(new(options.PrecisionRecallK, prConvention));
            if ((manifold & DistributionMetrics.DensityCoverage) != 0) requests.Add(new(options.DensityCoverageK, NeighbourhoodConvention.Prdc));
            RequireMagnitude(real!, FeatureMagnitude.DistancesAndCovariance, "precision/recall/density/coverage");
            RequireMagnitude(fake, FeatureMagnitude.DistancesAndCovariance, "precision/recall/density/coverage");
            KNearestManifolds.Counts[] counts;
            FakeManifoldNeighbours? neighbours;
            if (real!.FeatureRows is { } real32 && fake.FeatureRows is { } fake32)
            {
                // A DistributionEvaluator's float32 rows, read in place (the distances widen them while packing).
                FeatureSets.Validate(real32.AsSpan(), fake32.AsSpan(), real.Columns);
                counts = KNearestManifolds.Evaluate(real32.Values, real.Rows, fake32.Values, fake.Rows, real.Columns, requests,
                    options.NearestRealNeighbours, out neighbours, options.MaxThreads);
            }
            else
            {
                var realFeatures = real.RequireFeatures("precision/recall/density/coverage");
                var fakeFeatures = fake.RequireFeatures("precision/recall/density/coverage");
                FeatureSets.Validate(realFeatures, fakeFeatures, real.Columns);
                counts = KNearestManifolds.Evaluate(realFeatures, real.Rows, fakeFeatures, fake.Rows, real.Columns, requests,
                    options.NearestRealNeighbours, out neighbours, options.MaxThreads);
            }
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

    /// <summary>
    /// The protocol of the evaluation: <see cref="EvaluationOptions.Protocol"/> when set (inputs recorded under
    /// another are refused unless forced), else the first known protocol the statistics inputs record, else pytorch-fid.
    /// </summary>
    private static PreprocessingProtocol ResolveProtocol(MetricInput? real, MetricInput fake, EvaluationOptions options, List<string> warnings)
    {
        var known = new[] { real?.Statistics, fake.Statistics }.Where(s => s is not null).Select(s => s!).ToList();
        if (known.Count == 2)
        {
            string? conflict = known[0].Provenance.FirstConflict(known[1].Provenance);
            if (conflict is not null)
            {
                if (!options.Force)
                {
                    throw new GenMetricsException($"{real!.Path} and {fake.Path} were made differently ({conflict}); recompute one of them, or set EvaluationOptions.Force to compare anyway") { ParameterName = nameof(EvaluationOptions.Force) };
                }
                warnings.Add($"statistics differ in {conflict}; compared anyway (EvaluationOptions.Force)");
            }
        }
        var protocol = options.Protocol ?? RecordedProtocol(known) ?? options.DefaultProtocol;
        foreach (var s in known)
        {
            string p = s.Provenance.Protocol;
            if (p.Length == 0 || p == protocol.Name) continue;
            if (!options.Force)
            {
                throw new GenMetricsException($"statistics were made with protocol '{p}' but '{protocol}' was requested; set EvaluationOptions.Protocol to {p}, or Force to compare anyway") { ParameterName = nameof(EvaluationOptions.Protocol) };
            }
            warnings.Add($"statistics protocol '{p}' differs from '{protocol}'; compared anyway (EvaluationOptions.Force)");
        }
        if (options.Dimensions is int dims)
        {
            foreach (var s in known)
            {
                if (s.Dimension != dims) throw new GenMetricsException($"statistics have {s.Dimension} dimensions but EvaluationOptions.Dimensions is {dims}") { ParameterName = nameof(EvaluationOptions.Dimensions) };
            }
        }
        return protocol;
    }

    private static FrechetResult ComputeFid(MetricInput real, MetricInput fake, PreprocessingProtocol protocol, EvaluationOptions options, StatsProvenance? featureProvenance)
    {
        foreach (var input in new[] { real, fake })
        {
            if (input.Statistics is { } stats) FeatureMagnitude.RequireCovariance(stats.Covariance, stats.Dimension, input.Path);
            else RequireMagnitude(input, FeatureMagnitude.DistancesAndCovariance, "FID");
        }
        var provenance = featureProvenance ?? new StatsProvenance(protocol.Name, "", real.Columns.ToString(CultureInfo.InvariantCulture));
        // ADM takes sample_stats.frechet_distance(ref_stats): Σ1 is the sample's. A stats file read here comes with
        // sigma's factor from its validation, so Σ1 is not factored twice; Σ2's factor is not needed after its
        // validation, so its d×d array becomes FID's work matrix (no fresh 32 MiB at d = 2048).
        return protocol.Rules == MetricRules.Adm
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
        return Fid.Compute(spatialFake.ToStatistics(provenance), spatialReal.ToStatistics(provenance), KnownProtocols.Adm, options.MaxThreads, null);
    }

    /// <summary>The <see cref="FeatureMagnitude"/> check on an input's features (a statistics file has none).</summary>
    private static void RequireMagnitude(MetricInput input, double limit, string metric)
    {
        if (input.FeatureRows is { } rows) FeatureMagnitude.Require(rows.AsSpan(), input.Columns, limit, input.Path, metric);
        else if (input.Features is { } values) FeatureMagnitude.Require(values, input.Columns, limit, input.Path, metric);
    }

    private static InceptionScoreResult ComputeInceptionScore(MetricInput fake, PreprocessingProtocol protocol, EvaluationOptions options)
    {
        const int classes = 1008;
        if (options.LogitsPath is null && fake.LogitRows is { } rows)
        {
            return ProtocolMetricRules.ComputeInceptionScore(protocol, rows.AsSpan(), classes, options.Splits, options.Shuffle, options.Seed);
        }
        if (options.LogitsPath is null && fake.Logits is not null)
        {
            return ProtocolMetricRules.ComputeInceptionScore(protocol, fake.Logits, classes, options.Splits, options.Shuffle, options.Seed);
        }
        MetricInput logits = options.LogitsPath is null ? fake : MetricInput.Load(options.LogitsPath);
        var values = logits.RequireFeatures("Inception Score");
        // The FID Inception's classifier has 1008 outputs; any other width is another layer or another network.
        if (logits.Columns != classes)
        {
            throw new GenMetricsException($"{logits.Path}: Inception Score needs logits (N x 1008), got {logits.Columns}-d features; set EvaluationOptions.LogitsPath to a logits .npy, or evaluate images") { ParameterName = nameof(EvaluationOptions.LogitsPath) };
        }
        return ProtocolMetricRules.ComputeInceptionScore(protocol, values, classes, options.Splits, options.Shuffle, options.Seed);
    }
}
