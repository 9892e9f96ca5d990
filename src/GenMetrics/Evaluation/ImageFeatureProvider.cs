using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Networks;
using GenMetrics.Statistics;

using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>
/// Features of image folders/zips for the distribution metrics, with an on-disk cache: one <c>.npy</c> per
/// (input identity, protocol, weights SHA-256, layer), where the input identity hashes the source path and every
/// image's relative path, size and modification time. A second run on unchanged inputs extracts nothing; any
/// changed, added or removed image, other weights or another protocol gives a new key. The network is built
/// once, lazily, and shared by both sets of an evaluation.
/// </summary>
internal sealed class ImageFeatureProvider : IDisposable
{
    private readonly ImageFeatureSettings _settings;
    private readonly PreprocessingProtocol _protocol;
    private readonly Dictionary<string, FeatureExtractor> _extractors = new(StringComparer.Ordinal);
    private string? _weightsSha256;
    private string? _weightsPath;

    public ImageFeatureProvider(ImageFeatureSettings settings, PreprocessingProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(protocol);
        _settings = settings;
        _protocol = protocol;
    }

    /// <summary>How many image sets were extracted (not served from the cache).</summary>
    public int Extractions { get; private set; }

    /// <summary>SHA-256 of the weights file (hex).</summary>
    public string WeightsSha256 => _weightsSha256 ??= HashWeights();

    /// <summary>The network, weights file and SHA-256 behind the features of <paramref name="layer"/>.</summary>
    public NetworkProvenance Provenance(FidInceptionLayer layer) => NetworkProvenance.Of(_protocol, layer, WeightsPath, WeightsSha256);

    /// <summary>
    /// Features of the requested layers for the images at <paramref name="path"/>, or only its
    /// <paramref name="shard"/> when given (the network's float32 values).
    /// </summary>
    public Dictionary<FidInceptionLayer, (float[] Values, int Rows, int Columns)> Get(string path, IReadOnlyList<FidInceptionLayer> layers,
        ImageShard? shard = null)
    {
        if (AdmBatchFile.IsBatch(path))
        {
            if (shard is not null) throw new GenMetricsException($"{path}: a shard needs an image folder or .zip, not an ADM batch (.npz)") { ParameterName = nameof(shard) };
            var batch = AdmBatchFile.Open(path);
            return Get(path, BatchIdentity(batch), batch.Count, layers, missing => Extractor(missing).Extract(WithProgress(batch), batch.Count, path));
        }
        using var whole = ImageSource.Open(path, _settings.Recursive);
        ImageSource source = shard?.Select(whole) ?? whole;
        return Get(path, Identity(source), source.Entries.Count, layers, missing => Extractor(missing).Extract(source, _settings.Progress));
    }

    private Dictionary<FidInceptionLayer, (float[] Values, int Rows, int Columns)> Get(string path, string identity, int count,
        IReadOnlyList<FidInceptionLayer> layers, Func<IReadOnlyList<FidInceptionLayer>, FeatureSet> extract)
    {
        var result = new Dictionary<FidInceptionLayer, (float[], int, int)>();
        var missing = new List<FidInceptionLayer>();
        string cacheDir = _settings.ResolveCacheDirectory();
        foreach (var layer in layers.Distinct())
        {
            string file = CacheFile(cacheDir, identity, layer);
            if (!_settings.NoCache && File.Exists(file))
            {
                try
                {
                    var (rows32, values) = NpyFile.ReadFloat32OrFloat64(file, out int[] shape);
                    if (shape.Length == 2 && shape[0] == count)
                    {
                        result[layer] = (rows32 ?? Array.ConvertAll(values!, v => (float)v), shape[0], shape[1]);
                        continue;
                    }
                }
                catch (GenMetricsException)
                {
                    // a damaged cache entry is recomputed and replaced
                }
            }
            missing.Add(layer);
        }
        if (missing.Count == 0) return result;

        var set = extract(missing);
        Extractions++;
        foreach (var layer in missing)
        {
            var m = set[layer];
            RequireFinite(path, m.Values, m.Columns, image => set.Images[image]);
            result[layer] = (m.Values, m.Rows, m.Columns);
            if (!_settings.NoCache) WriteCache(CacheFile(cacheDir, identity, layer), m);
        }
        return result;
    }

    /// <summary>
    /// n, Σx and ΣxxT of one layer's features for the images at <paramref name="path"/> (or its
    /// <paramref name="shard"/>), streamed batch by batch from the network or from the cache file, so memory is
    /// O(d²) whatever the number of images. A fresh extraction writes the cache file as it goes (a temporary file
    /// renamed into place when complete), the same file the whole-matrix path reads.
    /// </summary>
    public (FeatureStatistics Statistics, int Rows) GetStatistics(string path, FidInceptionLayer layer, ImageShard? shard = null)
    {
        using var whole = ImageSource.Open(path, _settings.Recursive);
        ImageSource source = shard?.Select(whole) ?? whole;
        int count = source.Entries.Count;
        int columns = FidInceptionLayerNames.DimensionsOf(layer);
        string file = CacheFile(_settings.ResolveCacheDirectory(), Identity(source), layer);
        if (!_settings.NoCache && File.Exists(file) && TryStreamCache(file, count, columns) is { } cached) return (cached, count);

        var statistics = new FeatureStatistics(columns);
        NpyRowWriter? cache = _settings.NoCache ? null : TryStartCache(file, count, columns);
        try
        {
            var extractor = Extractor([layer]);
            int output = IndexOf(extractor.OutputLayers, layer);
            extractor.Stream(source, _settings.Progress, (start, n, outputs) =>
            {
                var values = outputs[output].AsSpan(0, n * columns);
                RequireFinite(path, values, columns, image => source.Entries[start + image].RelativePath);
                statistics.Add(values);
                cache = WriteCacheRows(cache, values);
            }, CancellationToken.None);
            Extractions++;
            if (cache is not null) CommitCache(cache);
        }
        finally
        {
            cache?.Dispose();
        }
        return (statistics, count);
    }

    private static int IndexOf(IReadOnlyList<FidInceptionLayer> layers, FidInceptionLayer layer)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            if (layers[i] == layer) return i;
        }
        throw new InvalidOperationException($"layer {layer} is not an output of the network");
    }

    /// <summary>Throws, naming the image (<paramref name="imageAt"/> of its row in <paramref name="values"/>), on NaN or infinity.</summary>
    private static void RequireFinite(string path, ReadOnlySpan<float> values, int columns, Func<int, string> imageAt)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                throw new GenMetricsException($"{path}: the network produced NaN/infinity for image {imageAt(i / columns)}; check the weights");
            }
        }
    }

    /// <summary>The cache file's rows streamed into statistics; null when it does not hold this set's N×d (recomputed).</summary>
    private static FeatureStatistics? TryStreamCache(string file, int rows, int columns)
    {
        try
        {
            using var reader = NpyRowReader.Open(file);
            if (reader is null || reader.Rows != rows || reader.Columns != columns) return null;
            return reader.ReadStatistics();
        }
        catch (GenMetricsException)
        {
            return null; // a damaged cache entry is recomputed and replaced
        }
    }

    private static NpyRowWriter? TryStartCache(string file, int rows, int columns)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            return NpyRowWriter.Create(file, rows, columns);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the cache is an optimisation: an unwritable cache folder must not fail the metric
        }
    }

    private static NpyRowWriter? WriteCacheRows(NpyRowWriter? cache, ReadOnlySpan<float> values)
    {
        if (cache is null) return null;
        try
        {
            cache.Write(values);
            return cache;
        }
        catch (IOException)
        {
            cache.Dispose(); // a full disk ends the cache file, not the metric
            return null;
        }
    }

    private static void CommitCache(NpyRowWriter cache)
    {
        try
        {
            cache.Commit();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // as above: the metric is computed, only the cache entry is lost
        }
    }

    private FeatureExtractor Extractor(IReadOnlyList<FidInceptionLayer> layers)
    {
        string weights = WeightsPath;
        // One network with every layer this evaluation can ask for, so both sets share it.
        FidInceptionLayer[] all = [.. layers, FidInceptionLayer.Pool3, FidInceptionLayer.LogitsUnbiased];
        if (_protocol == KnownProtocols.Adm) all = [.. all, FidInceptionLayer.Spatial]; // ADM's sFID tap, same pass
        all = all.Distinct().ToArray();
        string key = string.Join(",", all.OrderBy(l => l));
        foreach (var (k, e) in _extractors)
        {
            if (layers.All(l => k.Split(',').Contains(l.ToString()))) return e;
        }
        var extractor = new FeatureExtractor(new FeatureExtractorOptions
        {
            WeightsPath = weights,
            Protocol = _protocol,
            Layers = all,
            BatchSize = _settings.BatchSize,
            Device = _settings.Device,
            DeviceId = _settings.DeviceId,
            DecodeWorkers = _settings.DecodeWorkers,
        });
        _extractors[key] = extractor;
        _weightsSha256 ??= extractor.WeightsSha256;
        return extractor;
    }

    /// <summary>
    /// The weights file: <see cref="ImageFeatureSettings.WeightsPath"/> when given, else the weights cache / torch hub cache / download
    /// (<see cref="Weights.WeightsResolver"/>, offline and mirror settings from the environment).
    /// </summary>
    private string WeightsPath => _weightsPath ??= Weights.WeightsResolver.ExplicitOrResolved(_settings.WeightsPath, _protocol.DefaultWeights,
        _settings.Progress, nameof(ImageFeatureSettings.WeightsPath));

    private string HashWeights()
    {
        string weights = WeightsPath;
        try
        {
            return Weights.WeightsFileHash.Sha256(weights);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenMetricsException($"{weights}: cannot read the weights file ({e.Message}); check ImageFeatureSettings.WeightsPath", e) { ParameterName = nameof(ImageFeatureSettings.WeightsPath) };
        }
    }

    private string Identity(ImageSource source)
    {
        var text = new StringBuilder();
        text.Append("genmetrics-features-v1\n").Append(Path.GetFullPath(source.Path)).Append('\n');
        foreach (var e in source.Entries)
        {
            text.Append(e.RelativePath).Append('\t').Append(e.Length.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(e.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        text.Append(_protocol.Name).Append('\n').Append(WeightsSha256).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }

    /// <summary>An ADM batch is identified by its full path, size and modification time (plus protocol and weights).</summary>
    private string BatchIdentity(AdmBatchFile batch)
    {
        string text = string.Create(CultureInfo.InvariantCulture,
            $"genmetrics-adm-batch-v1\n{Path.GetFullPath(batch.Path)}\n{batch.Length}\t{batch.LastWriteTimeUtc.Ticks}\t{batch.Count}x{batch.Height}x{batch.Width}\n{_protocol.Name}\n{WeightsSha256}\n");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    /// <summary>The batch's images, reporting progress as they are read.</summary>
    private IEnumerable<RgbImage> WithProgress(AdmBatchFile batch)
    {
        string stage = $"features {Path.GetFileName(batch.Path)}";
        _settings.Progress?.Report(new WorkProgress(stage, 0, batch.Count));
        int done = 0;
        foreach (var image in batch.Images())
        {
            yield return image;
            _settings.Progress?.Report(new WorkProgress(stage, ++done, batch.Count));
        }
    }

    private static string CacheFile(string dir, string identity, FidInceptionLayer layer) =>
        Path.Combine(dir, $"{identity}-{FidInceptionLayerNames.NameOf(layer)}.npy");

    private static void WriteCache(string file, FeatureMatrix m)
    {
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            NpyFile.Write(file, NpyArray.FromFloat32(m.Values, m.Rows, m.Columns)); // atomic: temp file + rename
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimisation: an unwritable cache folder must not fail the metric.
        }
    }

    public void Dispose()
    {
        foreach (var e in _extractors.Values) e.Dispose();
        _extractors.Clear();
    }
}
