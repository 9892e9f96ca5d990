using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace GenMetrics.Checkpoints;

/// <summary>
/// The tensors of a checkpoint by state-dict key, in file order (<c>nn.Module.state_dict()</c> order for
/// torch files). Read one with <see cref="CheckpointReader.Read(string)"/>.
/// </summary>
public sealed class StateDict : IReadOnlyDictionary<string, CheckpointTensor>
{
    private readonly List<string> _keys = [];
    private readonly Dictionary<string, CheckpointTensor> _tensors = new(StringComparer.Ordinal);

    internal StateDict(string sourcePath, CheckpointFormat format, IEnumerable<CheckpointTensor> tensors)
    {
        SourcePath = sourcePath;
        Format = format;
        foreach (var tensor in tensors)
        {
            if (!_tensors.ContainsKey(tensor.Name)) _keys.Add(tensor.Name);
            _tensors[tensor.Name] = tensor;
        }
    }

    /// <summary>The file the tensors were read from.</summary>
    public string SourcePath { get; }

    /// <summary>The serialisation of the file.</summary>
    public CheckpointFormat Format { get; }

    /// <summary>
    /// For a TorchScript archive, the integer attributes of its modules by path (<c>layers.conv.stride</c> → [2],
    /// <c>layers.conv.padding</c> → [0, 0]); empty for other formats.
    /// </summary>
    internal IReadOnlyDictionary<string, long[]> ModuleIntegers { get; init; } = new Dictionary<string, long[]>();

    /// <inheritdoc/>
    public CheckpointTensor this[string key] => _tensors.TryGetValue(key, out var t)
        ? t
        : throw new KeyNotFoundException($"{SourcePath}: no tensor '{key}'");

    /// <summary>The keys in file order.</summary>
    public IEnumerable<string> Keys => _keys;

    /// <summary>The tensors in file order.</summary>
    public IEnumerable<CheckpointTensor> Values => _keys.Select(k => _tensors[k]);

    /// <inheritdoc/>
    public int Count => _keys.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _tensors.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out CheckpointTensor value) => _tensors.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, CheckpointTensor>> GetEnumerator() =>
        _keys.Select(k => new KeyValuePair<string, CheckpointTensor>(k, _tensors[k])).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Checks that every expected key is present with the expected shape (dtype is not checked: every
    /// stored type converts). All problems are collected and reported in one message.
    /// </summary>
    /// <param name="expectedShapes">Key → shape (empty array for a 0-d tensor).</param>
    /// <param name="networkName">Used in the message, e.g. "FID Inception-v3".</param>
    /// <param name="allowExtraKeys">When false, keys not in <paramref name="expectedShapes"/> are errors too (strict <c>load_state_dict</c>).</param>
    /// <exception cref="GenMetricsException">Lists every missing, misshaped (and, when not allowed, unexpected) key by name.</exception>
    public void Validate(IEnumerable<KeyValuePair<string, int[]>> expectedShapes, string networkName, bool allowExtraKeys = true)
    {
        ArgumentNullException.ThrowIfNull(expectedShapes);
        var missing = new List<string>();
        var misshaped = new List<string>();
        var expectedKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, shape) in expectedShapes)
        {
            expectedKeys.Add(key);
            if (!_tensors.TryGetValue(key, out var tensor)) missing.Add(key);
            else if (!tensor.Shape.AsSpan().SequenceEqual(shape)) misshaped.Add($"{key} {FormatShape(tensor.Shape)} instead of {FormatShape(shape)}");
        }
        var unexpected = allowExtraKeys ? [] : _keys.Where(k => !expectedKeys.Contains(k)).ToList();
        if (missing.Count + misshaped.Count + unexpected.Count == 0) return;

        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"{missing.Count} missing key(s): {ListNames(missing)}");
        if (misshaped.Count > 0) parts.Add($"{misshaped.Count} key(s) with the wrong shape: {ListNames(misshaped)}");
        if (unexpected.Count > 0) parts.Add($"{unexpected.Count} unexpected key(s): {ListNames(unexpected)}");
        throw new GenMetricsException(
            $"{SourcePath}: not a {networkName} checkpoint ({string.Join("; ", parts)}); pass the {networkName} weights file ('genmetrics weights' lists the known ones)");
    }

    /// <summary>Returns the tensor under <paramref name="key"/>, checking its shape when <paramref name="shape"/> is given.</summary>
    /// <param name="key">The state-dict key.</param>
    /// <param name="shape">The expected shape; no elements means "any shape".</param>
    /// <exception cref="GenMetricsException">The key is missing or has another shape.</exception>
    public CheckpointTensor Require(string key, params int[] shape)
    {
        if (!_tensors.TryGetValue(key, out var tensor))
        {
            throw new GenMetricsException($"{SourcePath}: the checkpoint has no tensor '{key}' (it has {Count} tensors); pass a checkpoint of the right network");
        }
        if (shape.Length > 0 && !tensor.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new GenMetricsException($"{SourcePath}: tensor '{key}' has shape {FormatShape(tensor.Shape)}, expected {FormatShape(shape)}; pass a checkpoint of the right network");
        }
        return tensor;
    }

    /// <summary>
    /// The first <see cref="MaxListedKeys"/> names, then "… and N more": a checkpoint of another network can miss
    /// hundreds of keys, and the message must stay one readable line.
    /// </summary>
    private static string ListNames(List<string> names) => names.Count <= MaxListedKeys
        ? string.Join(", ", names)
        : $"{string.Join(", ", names.Take(MaxListedKeys))}, … and {names.Count - MaxListedKeys} more";

    private const int MaxListedKeys = 40;

    private static string FormatShape(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
