using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Metrics;
using GenMetrics.Networks;
using GenMetrics.Statistics;

namespace GenMetrics.Evaluation;

/// <summary>
/// Stateful FID / Inception Score / KID / precision-recall / density-coverage: feed real and generated images
/// (files, in-memory images, feature rows) in any number of calls, then <see cref="Compute"/>.
/// </summary>
/// <remarks>
/// State is only what the selected metrics need: FID keeps n, Σx and ΣxxT in float64 per side
/// (<see cref="FeatureStatistics"/>, O(d²) memory whatever the number of images); KID and
/// precision/recall/density/coverage keep float32 feature rows; Inception Score keeps the fake side's float32
/// logits. The metric math is the library's (<see cref="Fid"/>, <see cref="InceptionScore"/>, <see cref="Kid"/>,
/// <see cref="PrecisionRecall"/>, <see cref="DensityCoverage"/>; under the torchmetrics protocols KID and IS follow
/// <see cref="TorchmetricsKid"/> and <see cref="TorchmetricsInceptionScore"/>). Batching does not change results;
/// <see cref="Merge"/> of shards equals one pass over their union (FID to float64 rounding, the others exactly).
/// The network is built on the first image update. Not thread-safe. Dispose to free the network.
/// </remarks>
public sealed class DistributionEvaluator : IDisposable
{
    private readonly string? _weightsPath;
    private readonly FidInceptionLayer _featureLayer;
    private FeatureExtractor? _extractor;
    private Side _real;
    private Side _fake;

    /// <summary>Creates an empty evaluator.</summary>
    /// <param name="protocol">Preprocessing and FID μ convention (<see cref="KnownProtocols"/>).</param>
    /// <param name="weightsPath">FID Inception-v3 weights (.pth); null resolves them from the caches (or downloads).</param>
    /// <param name="metrics">The metrics <see cref="Compute"/> returns.</param>
    /// <param name="options">Metric settings; null for the defaults.</param>
    /// <exception cref="ArgumentException">No metric selected, or a bad <paramref name="options"/> value.</exception>
    public DistributionEvaluator(PreprocessingProtocol protocol, string? weightsPath, DistributionMetrics metrics, DistributionEvaluatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        if (metrics == 0) throw new ArgumentException("select at least one metric", nameof(metrics));
        if ((metrics & DistributionMetrics.SpatialFid) != 0)
        {
            throw new ArgumentException("sFID is not accumulated by DistributionEvaluator; use DistributionEvaluation.Evaluate with the adm protocol", nameof(metrics));
        }
        Protocol = protocol;
        Metrics = metrics;
        Options = options ?? new DistributionEvaluatorOptions();
        _featureLayer = Options.Dimensions switch
        {
            64 => FidInceptionLayer.Block64,
            192 => FidInceptionLayer.Block192,
            768 => FidInceptionLayer.Block768,
            2048 => FidInceptionLayer.Pool3,
            _ => throw new ArgumentException($"Dimensions {Options.Dimensions} is not a FID Inception layer; use 64, 192, 768 or 2048", nameof(options)),
        };
        _weightsPath = weightsPath;
        _real = NewSide(isFake: false);
        _fake = NewSide(isFake: true);
    }

    /// <summary>The preprocessing protocol.</summary>
    public PreprocessingProtocol Protocol { get; }

    /// <summary>The selected metrics.</summary>
    public DistributionMetrics Metrics { get; }

    /// <summary>The settings.</summary>
    public DistributionEvaluatorOptions Options { get; }

    /// <summary>Real samples seen so far (including those of loaded statistics).</summary>
    public long RealCount => _real.Count;

    /// <summary>Generated samples seen so far.</summary>
    public long FakeCount => _fake.Count;

    private bool NeedsFeatures => (Metrics & ~DistributionMetrics.InceptionScore) != 0;

    private bool NeedsRows => (Metrics & (DistributionMetrics.Kid | DistributionMetrics.Prdc)) != 0;

    /// <summary>Adds the images of a file, folder or archive to the real side.</summary>
    public void UpdateReal(ImageSource source, CancellationToken cancellationToken = default) => UpdateImages(_real, source, cancellationToken);

    /// <summary>Adds the images of a file, folder or archive to the generated side.</summary>
    public void UpdateFake(ImageSource source, CancellationToken cancellationToken = default) => UpdateImages(_fake, source, cancellationToken);

    /// <summary>Adds in-memory images to the real side (enumerated once, lazily, in order).</summary>
    public void UpdateReal(IEnumerable<RgbImage> images, CancellationToken cancellationToken = default) => UpdateImages(_real, images, cancellationToken);

    /// <summary>Adds in-memory images to the generated side (enumerated once, lazily, in order).</summary>
    public void UpdateFake(IEnumerable<RgbImage> images, CancellationToken cancellationToken = default) => UpdateImages(_fake, images, cancellationToken);

    /// <summary>Adds an asynchronous sequence of images to the real side (enumerated once, in order).</summary>
    public Task UpdateRealAsync(IAsyncEnumerable<RgbImage> images, CancellationToken cancellationToken = default) =>
        Task.Run(() => UpdateStream(_real, images, cancellationToken), cancellationToken);

    /// <summary>Adds an asynchronous sequence of images to the generated side (enumerated once, in order).</summary>
    public Task UpdateFakeAsync(IAsyncEnumerable<RgbImage> images, CancellationToken cancellationToken = default) =>
        Task.Run(() => UpdateStream(_fake, images, cancellationToken), cancellationToken);

    /// <summary>Adds one image to the real side.</summary>
    public void UpdateReal(RgbImage image) => UpdateImages(_real, [image ?? throw new ArgumentNullException(nameof(image))], default);

    /// <summary>Adds one image to the generated side.</summary>
    public void UpdateFake(RgbImage image) => UpdateImages(_fake, [image ?? throw new ArgumentNullException(nameof(image))], default);

    /// <summary>Adds one interleaved RGB image (<c>width·height·3</c> bytes, row-major) to the real side.</summary>
    public void UpdateReal(byte[] rgb, int width, int height) => UpdateReal(new RgbImage(width, height, rgb));

    /// <summary>Adds one interleaved RGB image (<c>width·height·3</c> bytes, row-major) to the generated side.</summary>
    public void UpdateFake(byte[] rgb, int width, int height) => UpdateFake(new RgbImage(width, height, rgb));

    /// <summary>Adds feature rows (row-major, <see cref="DistributionEvaluatorOptions.Dimensions"/> columns) to the real side.</summary>
    public void UpdateRealFeatures(ReadOnlySpan<float> rows) => AddFeatures(_real, rows, nameof(rows));

    /// <summary>Adds feature rows (row-major, <see cref="DistributionEvaluatorOptions.Dimensions"/> columns) to the generated side.</summary>
    /// <remarks>With Inception Score selected, pass the matching logits with <see cref="UpdateFakeLogits"/>.</remarks>
    public void UpdateFakeFeatures(ReadOnlySpan<float> rows) => AddFeatures(_fake, rows, nameof(rows));

    /// <summary>Adds logits rows (row-major, 1008 columns, as <c>logits-unbiased</c>) to the generated side for Inception Score.</summary>
    public void UpdateFakeLogits(ReadOnlySpan<float> logits)
    {
        if (_fake.Logits is null) throw new InvalidOperationException("Inception Score is not selected; logits are not kept");
        if (logits.Length % FidInceptionV3Classes != 0) throw new ArgumentException($"logits have {logits.Length} values, not a multiple of {FidInceptionV3Classes}", nameof(logits));
        _fake.Logits.Add(logits);
        if (!NeedsFeatures) _fake.ImageCount += logits.Length / FidInceptionV3Classes;
    }

    /// <summary>
    /// Replaces the real side with reference statistics from a stats file (<see cref="StatsFile"/>). Only FID can
    /// use them; when the file holds its sample count n (as every file <c>genmetrics stats</c> writes), further real
    /// images may still be added.
    /// </summary>
    /// <exception cref="GenMetricsException">The file cannot be read, or was made with another protocol or dimension.</exception>
    public void LoadRealStatistics(string statsPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(statsPath);
        if (NeedsRows) throw new InvalidOperationException("KID and precision/recall/density/coverage need real feature rows; statistics hold only μ and Σ");
        GaussianStatistics stats = StatsFile.Read(statsPath);
        if (stats.Provenance.Protocol.Length > 0 && stats.Provenance.Protocol != Protocol.Name)
        {
            throw new GenMetricsException($"{statsPath}: statistics were made with protocol '{stats.Provenance.Protocol}', this evaluator uses '{Protocol.Name}'");
        }
        if (stats.Dimension != Options.Dimensions)
        {
            throw new GenMetricsException($"{statsPath}: statistics have {stats.Dimension} dimensions, this evaluator uses {Options.Dimensions}");
        }
        _real = NewSide(isFake: false);
        if (stats.Sums is { } sums) _real.Statistics!.Merge(sums);
        else _real.Fixed = stats;
    }

    /// <summary>Computes the selected metrics from everything added so far (the state is kept).</summary>
    /// <remarks>The metrics are computed by the same code as <see cref="DistributionEvaluation"/>'s (the CLI verbs).</remarks>
    /// <exception cref="GenMetricsException">Too few samples for a metric.</exception>
    public EvaluationResult Compute()
    {
        var network = _extractor is null ? null : NetworkProvenance.Of(Protocol, NeedsFeatures ? _featureLayer : FidInceptionLayer.LogitsUnbiased, _extractor.WeightsPath, _extractor.WeightsSha256);
        int d = Options.Dimensions;
        // KID and the k-NN metrics read the float32 rows in place (the distances widen them while packing).
        var real = MetricInput.FromState("the real set", _real.Count, d, _real.Fixed, _real.Statistics, _real.Rows, null);
        var fake = MetricInput.FromState("the generated set", _fake.Count, d, null, _fake.Statistics, _fake.Rows, _fake.Logits);
        var options = new EvaluationOptions(Options) { Protocol = Protocol, Dimensions = d };
        return MetricComputation.Compute(real, fake, Metrics, options, featureProvenance: null, network) with
        {
            RealCount = _real.Count,
            FakeCount = _fake.Count,
            Dimensions = NeedsFeatures ? Options.Dimensions : FidInceptionV3Classes,
        };
    }

    /// <summary>Forgets the generated side, and the real side too unless <paramref name="keepReal"/>.</summary>
    public void Reset(bool keepReal = false)
    {
        _fake = NewSide(isFake: true);
        if (!keepReal) _real = NewSide(isFake: false);
    }

    /// <summary>
    /// Adds everything <paramref name="other"/> has seen (after what this one has seen), as if its images had
    /// been added here: shards evaluated separately and merged equal one pass over their union.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="other"/> has another protocol, metric selection or dimension.</exception>
    public void Merge(DistributionEvaluator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (ReferenceEquals(other, this)) throw new ArgumentException("cannot merge an evaluator into itself", nameof(other));
        if (other.Protocol != Protocol || other.Metrics != Metrics || other.Options.Dimensions != Options.Dimensions)
        {
            throw new ArgumentException("the evaluators differ in protocol, metrics or dimensions", nameof(other));
        }
        if (_real.Fixed is not null || other._real.Fixed is not null) throw new InvalidOperationException("statistics without raw sums cannot be merged");
        _real.MergeFrom(other._real);
        _fake.MergeFrom(other._fake);
    }

    /// <inheritdoc/>
    public void Dispose() => _extractor?.Dispose();

    private const int FidInceptionV3Classes = 1008;

    private Side NewSide(bool isFake) => new()
    {
        Statistics = (Metrics & DistributionMetrics.Fid) != 0 ? new FeatureStatistics(Options.Dimensions) : null,
        Rows = NeedsRows ? new Float32Rows() : null,
        Logits = isFake && (Metrics & DistributionMetrics.InceptionScore) != 0 ? new Float32Rows() : null,
    };

    private FeatureExtractor Extractor()
    {
        if (_extractor is not null) return _extractor;
        var layers = new List<FidInceptionLayer>();
        if (NeedsFeatures) layers.Add(_featureLayer);
        if ((Metrics & DistributionMetrics.InceptionScore) != 0) layers.Add(FidInceptionLayer.LogitsUnbiased);
        _extractor = new FeatureExtractor(new FeatureExtractorOptions
        {
            WeightsPath = _weightsPath,
            Protocol = Protocol,
            Layers = layers,
            BatchSize = Options.BatchSize,
            Threads = Options.Threads,
        });
        return _extractor;
    }

    private void UpdateImages(Side side, ImageSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        UpdateImages(side, source.DecodeInOrder(Math.Clamp(Environment.ProcessorCount / 2, 1, 8), 16, cancellationToken).Select(d => d.Image), cancellationToken);
    }

    private void UpdateImages(Side side, IEnumerable<RgbImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        UpdateStream(side, FeatureExtractor.ToAsync(images), cancellationToken);
    }

    private void UpdateStream(Side side, IAsyncEnumerable<RgbImage> images, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(images);
        side.AcceptRows("images");
        FeatureExtractor extractor = Extractor();
        var layers = extractor.OutputLayers;
        bool keepLogits = side.Logits is not null;
        extractor.Stream(images, Options.BatchSize, (_, n, outputs) =>
        {
            for (int i = 0; i < layers.Count; i++)
            {
                int columns = FidInceptionLayerNames.DimensionsOf(layers[i]);
                var values = outputs[i].AsSpan(0, n * columns);
                if (layers[i] == FidInceptionLayer.LogitsUnbiased)
                {
                    if (keepLogits) side.Logits!.Add(values);
                }
                else
                {
                    side.Statistics?.Add(values);
                    side.Rows?.Add(values);
                }
            }
            side.ImageCount += n;
        }, cancellationToken);
    }

    private void AddFeatures(Side side, ReadOnlySpan<float> rows, string parameter)
    {
        if (!NeedsFeatures) throw new InvalidOperationException("only Inception Score is selected; it needs logits (UpdateFakeLogits) or images");
        side.AcceptRows("rows");
        if (rows.Length % Options.Dimensions != 0) throw new ArgumentException($"{rows.Length} values is not a multiple of the dimension {Options.Dimensions}", parameter);
        side.Statistics?.Add(rows);
        side.Rows?.Add(rows);
        side.ImageCount += rows.Length / Options.Dimensions;
    }

    private sealed class Side
    {
        public FeatureStatistics? Statistics { get; init; }

        public Float32Rows? Rows { get; init; }

        public Float32Rows? Logits { get; init; }

        public GaussianStatistics? Fixed { get; set; }

        public long ImageCount { get; set; }

        public long Count => Fixed?.Count ?? Statistics?.Count ?? ImageCount;

        /// <summary>
        /// Before more <paramref name="what"/> are added to loaded statistics: with a sample count they become the
        /// sums they determine (<see cref="FeatureStatistics.FromMoments"/>); without one (pytorch-fid's files) they cannot grow.
        /// </summary>
        public void AcceptRows(string what)
        {
            if (Fixed is null) return;
            if (Fixed.Count is not long n || Statistics is null)
            {
                throw new InvalidOperationException($"the real side holds loaded statistics without a sample count; {what} cannot be added to them");
            }
            float[]? sumFloat32 = Fixed.SumFloat32 ?? Fixed.MeanFloat32?.Select(m => m * n).ToArray();
            Statistics.Merge(FeatureStatistics.FromMoments(n, Fixed.Mean, Fixed.Covariance, sumFloat32));
            Fixed = null;
        }

        public void MergeFrom(Side other)
        {
            if (other.Statistics is not null) Statistics!.Merge(other.Statistics);
            if (other.Rows is not null) Rows!.Add(other.Rows.AsSpan());
            if (other.Logits is not null) Logits!.Add(other.Logits.AsSpan());
            ImageCount += other.ImageCount;
        }
    }
}
