namespace GenMetrics.Checkpoints;

/// <summary>A global that passed the allow-list (<see cref="PickleAllowList"/>), e.g. <c>collections.OrderedDict</c>.</summary>
internal sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";

    /// <summary>Whether this is a class a TorchScript archive defines (module <c>__torch__</c> or below).</summary>
    public bool IsTorchScriptClass =>
        Module == PickleAllowList.TorchScriptModulePrefix || Module.StartsWith(PickleAllowList.TorchScriptModulePrefix + ".", StringComparison.Ordinal);
}

/// <summary>
/// An object of a TorchScript archive's own class (<c>__torch__.fx_nvinception.Conv2dLayer</c>, …) as unpickled:
/// only its class name and the attribute dict its BUILD sets (submodules, tensors, ints, lists). It is a record of
/// data, never an instance of anything: the archive's <c>code/</c> is not read.
/// </summary>
internal sealed class TorchScriptObject(string className)
{
    public string ClassName { get; } = className;

    /// <summary>The attributes (name → value) from the object's BUILD; empty until then.</summary>
    public PickleDict Attributes { get; set; } = new();
}

/// <summary>A Python dict or OrderedDict as unpickled: insertion-ordered pairs; later SETITEMs replace earlier ones.</summary>
internal sealed class PickleDict
{
    private readonly List<KeyValuePair<object, object?>> _items = [];
    private readonly Dictionary<object, int> _index = [];

    public IReadOnlyList<KeyValuePair<object, object?>> Items => _items;

    /// <summary>State given by a pickle BUILD (OrderedDict's <c>_metadata</c>); kept only so the object graph is complete.</summary>
    public object? State { get; set; }

    public void Set(object? key, object? value)
    {
        if (key is null) throw new CheckpointFormatException("malformed pickle: a dict key is None");
        if (_index.TryGetValue(key, out int at)) _items[at] = new(key, value);
        else
        {
            _index[key] = _items.Count;
            _items.Add(new(key, value));
        }
    }
}

/// <summary>
/// A storage named by a persistent id: <c>('storage', torch.FloatStorage, key, location, numel[, view])</c>.
/// The location (<c>'cpu'</c>, <c>'cuda:0'</c>) is ignored, as with <c>torch.load(map_location='cpu')</c>.
/// </summary>
internal sealed record StorageReference(string Key, TensorDType DType, long ElementCount, long ViewOffset);

/// <summary>What <c>torch._utils._rebuild_tensor_v2</c> would build: a view into a storage.</summary>
internal sealed record TensorRecord(StorageReference Storage, long StorageOffset, int[] Shape, long[] Strides);
