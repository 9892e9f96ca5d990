using System.Threading.Channels;
using GenMetrics.Checkpoints;
using GenMetrics.Imaging;
using GenMetrics.Networks;
using GenMetrics.Onnx;
using GenMetrics.Weights;

namespace GenMetrics.Features;

/// <summary>
/// Extracts FID Inception-v3 features (64/192/768/pool3/logits/logits-unbiased) from images with one of the
/// reference preprocessing protocols. Decoding and preprocessing of the next batches run on other threads
/// while the network runs (bounded queue, pooled batch buffers).
/// </summary>
/// <remarks>
/// Matches pytorch-fid, torch-fidelity and clean-fid (with the pytorch-fid network) per image: pool3 within
/// 1.1e-4 absolute (relative Frobenius ≤ 2.1e-5) of every golden, below the network's own float32 noise floor
/// of 1.9e-4; logits within 8e-4 (docs/features.md). Tested tolerance: atol 2e-4 + rtol 1e-4. Results are
/// bit-identical for every batch size and thread count.
/// The instance holds the native session: dispose it. <see cref="Extract(ImageSource, IProgress{WorkProgress}?, CancellationToken)"/> may be called repeatedly.
/// </remarks>
public sealed class FeatureExtractor : IDisposable
{
    private const int InputValues = 3 * FidInceptionV3.InputSize * FidInceptionV3.InputSize;

    private readonly FeatureExtractorOptions _options;
    private readonly FidInceptionLayer[] _layers;
    private readonly string[] _outputNames;
    private readonly OnnxModelSession _session;

    /// <summary>Loads and validates the weights and builds the network for the requested layers.</summary>
    /// <param name="options">Settings.</param>
    /// <param name="downloadProgress">Progress of a weights download, when one is needed.</param>
    /// <exception cref="GenMetricsException">Bad options, or a missing, damaged or foreign weights file.</exception>
    public FeatureExtractor(FeatureExtractorOptions options, IProgress<WorkProgress>? downloadProgress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.BatchSize < 1)
        {
            throw new GenMetricsException($"batch size {options.BatchSize} is not valid; use a positive number such as {FeatureExtractorOptions.DefaultBatchSize}");
        }
        if (options.Threads < 0)
        {
            throw new GenMetricsException($"thread count {options.Threads} is not valid; use 0 (all cores) or a positive number");
        }
        if (options.Layers.Count == 0)
        {
            throw new GenMetricsException("no feature layer requested; ask for at least one of 64, 192, 768, pool3, logits, logits-unbiased");
        }
        _options = options;
        _layers = options.Layers.Distinct().ToArray();
        _outputNames = Array.ConvertAll(_layers, FidInceptionV3.OutputName);
        WeightsPath = WeightsResolver.ExplicitOrResolved(options.WeightsPath, options.Protocol.DefaultWeights, downloadProgress,
            nameof(FeatureExtractorOptions.WeightsPath));
        byte[] model = BuildModel(WeightsPath, options.Protocol.Network, _layers);
        WeightsSha256 = HashFile(WeightsPath);
        // The checkpoint's tensors, their float32 copies and the encoder's buffers (about 350 MB for the FID
        // Inception) are garbage now: give that memory back to the system before ONNX Runtime makes its native
        // copy of the weights, and the model bytes once the session holds it, so the peak holds one copy, not three.
        ReleaseGarbage();
        int threads = options.Threads == 0 ? Environment.ProcessorCount : options.Threads;
        _session = new OnnxModelSession(model, new OnnxSessionSettings(options.Device, threads, options.AllowSpinning, options.DeviceId), "FID Inception-v3");
        model = [];
        ReleaseGarbage();
    }

    /// <summary>Lower-case hex SHA-256 of the weights file.</summary>
    public string WeightsSha256 { get; }

    /// <summary>The weights file the network was built from.</summary>
    public string WeightsPath { get; }

    /// <summary>Extracts the features of every image of <paramref name="source"/>, in its order.</summary>
    /// <exception cref="GenMetricsException">An image cannot be read or decoded.</exception>
    public FeatureSet Extract(ImageSource source, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        int count = source.Entries.Count;
        var matrices = _layers.ToDictionary(layer => layer, layer => new FeatureMatrix(layer, count, FidInceptionLayerNames.DimensionsOf(layer)));
        Stream(source, progress, (start, n, outputs) =>
        {
            for (int i = 0; i < _layers.Length; i++)
            {
                FeatureMatrix matrix = matrices[_layers[i]];
                outputs[i].AsSpan(0, n * matrix.Columns).CopyTo(matrix.Values.AsSpan(start * matrix.Columns));
            }
        }, cancellationToken);
        var names = source.Entries.Select(e => e.RelativePath).ToArray();
        return new FeatureSet(_options.Protocol.Name, WeightsPath, WeightsSha256, names, matrices);
    }

    /// <summary>
    /// Extracts the features of in-memory images (already decoded RGB, e.g. a generator's output), with the same
    /// preprocessing as image files. <paramref name="images"/> is enumerated once, lazily, in order; rows are named
    /// "0", "1", ….
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="images"/> or one of its items is null.</exception>
    public FeatureSet Extract(IEnumerable<RgbImage> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        return ExtractAsync(ToAsync(images), cancellationToken).AsTask().GetAwaiter().GetResult();
    }

    /// <summary>As <see cref="Extract(IEnumerable{RgbImage}, CancellationToken)"/> for an asynchronous sequence.</summary>
    public ValueTask<FeatureSet> ExtractAsync(IAsyncEnumerable<RgbImage> images, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var rows = _layers.Select(_ => new List<float>()).ToArray();
        int total = 0;
        Stream(images, _options.BatchSize, (start, n, outputs) =>
        {
            for (int i = 0; i < _layers.Length; i++)
            {
                rows[i].AddRange(outputs[i].AsSpan(0, n * FidInceptionLayerNames.DimensionsOf(_layers[i])));
            }
            total = start + n;
        }, cancellationToken);
        var matrices = new Dictionary<FidInceptionLayer, FeatureMatrix>();
        for (int i = 0; i < _layers.Length; i++)
        {
            var matrix = new FeatureMatrix(_layers[i], total, FidInceptionLayerNames.DimensionsOf(_layers[i]));
            rows[i].CopyTo(matrix.Values);
            matrices[_layers[i]] = matrix;
        }
        var names = Enumerable.Range(0, total).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return ValueTask.FromResult(new FeatureSet(_options.Protocol.Name, WeightsPath, WeightsSha256, names, matrices));
    }

    /// <summary>
    /// Extracts the features of exactly <paramref name="count"/> in-memory images into matrices allocated once (no
    /// growing buffers: an ADM batch of 50k images needs its final N×d matrices only); rows are named "0", "1", ….
    /// </summary>
    /// <exception cref="GenMetricsException"><paramref name="images"/> yields another number of images than <paramref name="count"/>.</exception>
    internal FeatureSet Extract(IEnumerable<RgbImage> images, int count, string sourceName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(images);
        var matrices = _layers.ToDictionary(layer => layer, layer => new FeatureMatrix(layer, count, FidInceptionLayerNames.DimensionsOf(layer)));
        int total = 0;
        Stream(ToAsync(images), Math.Min(_options.BatchSize, Math.Max(count, 1)), (start, n, outputs) =>
        {
            if (start + n > count) throw new GenMetricsException($"{sourceName}: holds more than the {count} images its header declares; write it again");
            for (int i = 0; i < _layers.Length; i++)
            {
                FeatureMatrix matrix = matrices[_layers[i]];
                outputs[i].AsSpan(0, n * matrix.Columns).CopyTo(matrix.Values.AsSpan(start * matrix.Columns));
            }
            total = start + n;
        }, cancellationToken);
        if (total != count) throw new GenMetricsException($"{sourceName}: gave {total} images where its header declares {count}; write it again");
        var names = Enumerable.Range(0, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new FeatureSet(_options.Protocol.Name, WeightsPath, WeightsSha256, names, matrices);
    }

    /// <summary>The layers this extractor computes, in the order of the arrays given to a streaming sink.</summary>
    internal IReadOnlyList<FidInceptionLayer> OutputLayers => _layers;

    /// <summary>
    /// Runs preprocessing and the network over <paramref name="images"/> (enumerated once, in order, on a producer
    /// thread) and hands every batch's outputs to <paramref name="sink"/> (start row, rows, one array per
    /// <see cref="OutputLayers"/> entry, valid only during the call) on the calling thread.
    /// </summary>
    internal void Stream(IAsyncEnumerable<RgbImage> images, int batchSize, Action<int, int, float[][]> sink, CancellationToken cancellationToken = default)
    {
        batchSize = Math.Max(1, batchSize);
        // One batch is prepared while another is in the network (decode and resize are several times faster than
        // the network, so one ahead keeps it busy); the two buffers circulate through this pool.
        var pool = Channel.CreateBounded<float[]>(2);
        for (int i = 0; i < 2; i++)
        {
            // Exact size (a batch of 32 is 34 MB): the shared pool would round each up to the next power of two.
            pool.Writer.TryWrite(GC.AllocateUninitializedArray<float>(batchSize * InputValues));
        }
        var ready = Channel.CreateBounded<(float[] Buffer, int Start, int Count)>(2);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = Task.Run(() => Produce(images, batchSize, pool, ready.Writer, cancel.Token), CancellationToken.None);
        try
        {
            while (ready.Reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
            {
                while (ready.Reader.TryRead(out var batch))
                {
                    float[][] outputs = RunBatch(batch.Buffer, batch.Count);
                    pool.Writer.TryWrite(batch.Buffer);
                    sink(batch.Start, batch.Count, outputs);
                }
            }
            producer.GetAwaiter().GetResult();
        }
        finally
        {
            cancel.Cancel();
            try
            {
                producer.Wait(CancellationToken.None);
            }
            catch (AggregateException)
            {
                // already rethrown above, or the consumer failed first
            }
        }
    }

    /// <summary>
    /// Decodes the images of <paramref name="source"/> on several workers, in order, and runs them through the
    /// network, handing each batch to <paramref name="sink"/>: the index of its first image, its image count and one
    /// output array per <see cref="OutputLayers"/> entry (valid during the call only). Progress counts images.
    /// </summary>
    internal void Stream(ImageSource source, IProgress<WorkProgress>? progress, Action<int, int, float[][]> sink, CancellationToken cancellationToken)
    {
        int count = source.Entries.Count;
        string stage = $"features {Path.GetFileName(Path.TrimEndingDirectorySeparator(source.Path))}";
        progress?.Report(new WorkProgress(stage, 0, count));
        int decoders = DecodeWorkers();
        var images = ToAsync(source.DecodeInOrder(decoders, Math.Max(2, Math.Min(_options.BatchSize * 2, decoders * 4)), cancellationToken).Select(d => d.Image));
        Stream(images, Math.Min(_options.BatchSize, Math.Max(count, 1)), (start, n, outputs) =>
        {
            sink(start, n, outputs);
            progress?.Report(new WorkProgress(stage, start + n, count));
        }, cancellationToken);
    }

    internal static async IAsyncEnumerable<T> ToAsync<T>(IEnumerable<T> items)
    {
        foreach (T item in items)
        {
            yield return item;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    private int DecodeWorkers() => _options.DecodeWorkers > 0 ? _options.DecodeWorkers : Math.Clamp(Environment.ProcessorCount / 2, 1, 8);

    /// <summary>Runs the network on already preprocessed CHW inputs (for tests of the network alone).</summary>
    internal FeatureSet ExtractPrepared(IReadOnlyList<float[]> inputs)
    {
        var matrices = _layers.ToDictionary(layer => layer, layer => new FeatureMatrix(layer, inputs.Count, FidInceptionLayerNames.DimensionsOf(layer)));
        float[] buffer = new float[_options.BatchSize * InputValues];
        for (int start = 0; start < inputs.Count; start += _options.BatchSize)
        {
            int n = Math.Min(_options.BatchSize, inputs.Count - start);
            for (int i = 0; i < n; i++)
            {
                inputs[start + i].CopyTo(buffer, i * InputValues);
            }
            float[][] outputs = RunBatch(buffer, n);
            for (int l = 0; l < _layers.Length; l++)
            {
                FeatureMatrix matrix = matrices[_layers[l]];
                outputs[l].AsSpan(0, n * matrix.Columns).CopyTo(matrix.Values.AsSpan(start * matrix.Columns));
            }
        }
        return new FeatureSet(_options.Protocol.Name, WeightsPath, WeightsSha256,
            Enumerable.Range(0, inputs.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray(), matrices);
    }

    /// <inheritdoc/>
    public void Dispose() => _session.Dispose();

    private async Task Produce(IAsyncEnumerable<RgbImage> images, int batchSize, Channel<float[]> pool,
        ChannelWriter<(float[] Buffer, int Start, int Count)> ready, CancellationToken token)
    {
        try
        {
            float[]? buffer = null;
            int filled = 0;
            int start = 0;
            await foreach (RgbImage image in images.WithCancellation(token).ConfigureAwait(false))
            {
                ArgumentNullException.ThrowIfNull(image, nameof(images));
                buffer ??= await pool.Reader.ReadAsync(token).ConfigureAwait(false);
                _options.Protocol.Prepare(image.Pixels, image.Width, image.Height, buffer.AsSpan(filled * InputValues, InputValues));
                if (++filled == batchSize)
                {
                    await ready.WriteAsync((buffer, start, filled), token).ConfigureAwait(false);
                    start += filled;
                    buffer = null;
                    filled = 0;
                }
            }
            if (filled > 0)
            {
                await ready.WriteAsync((buffer!, start, filled), token).ConfigureAwait(false);
            }
        }
        finally
        {
            ready.Complete();
        }
    }

    private float[][] RunBatch(float[] buffer, int count)
    {
        var input = new OnnxTensor(FidInceptionV3.InputName, buffer,
            [count, 3, FidInceptionV3.InputSize, FidInceptionV3.InputSize]);
        OnnxTensor[] outputs = _session.Run([input], _outputNames);
        return Array.ConvertAll(outputs, o => o.Data);
    }

    private static void ReleaseGarbage() => GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);

    private static byte[] BuildModel(string weightsPath, InceptionWeightsLayout network, IReadOnlyCollection<FidInceptionLayer> layers)
    {
        StateDict weights = CheckpointReader.Read(weightsPath);
        if (network == InceptionWeightsLayout.NvidiaTorchScript)
        {
            return FidInceptionV3.BuildModel(NvidiaInceptionWeights.Adapt(weights), layers);
        }
        weights.Validate(FidInceptionV3.ExpectedTensors().Select(t => KeyValuePair.Create(t.Name, t.Shape)), "FID Inception-v3");
        return FidInceptionV3.BuildModel(name => weights[name].ToFloat32(), layers);
    }

    private static string HashFile(string path)
    {
        GenMetrics.Checkpoints.FileKindPolicy.RequireRegularInput(path);
        try
        {
            return Weights.WeightsFileHash.Sha256(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenMetricsException($"{path}: cannot read the weights file ({e.Message}); pass the path of fid_inception weights (.pth)", e);
        }
    }
}
