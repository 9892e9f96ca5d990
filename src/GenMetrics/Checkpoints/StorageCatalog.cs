namespace GenMetrics.Checkpoints;

/// <summary>
/// The storages a torch pickle refers to, collected while it is decoded: one entry per storage key with
/// its dtype and the largest element count any reference declares (views share their root storage).
/// </summary>
internal sealed class StorageCatalog
{
    private readonly Dictionary<string, StorageReference> _storages = new(StringComparer.Ordinal);

    /// <summary>The storages by key, with <see cref="StorageReference.ViewOffset"/> 0.</summary>
    public IReadOnlyDictionary<string, StorageReference> Storages => _storages;

    /// <summary>The persistent-load function for <see cref="PickleMachine.Load"/>: parses and records a storage id.</summary>
    public object? Register(object? pid)
    {
        var reference = PickledStateDict.ParseStorageId(pid);
        if (_storages.TryGetValue(reference.Key, out var known))
        {
            if (known.DType != reference.DType) throw new CheckpointFormatException($"storage '{reference.Key}' is named with two dtypes");
            if (reference.ElementCount > known.ElementCount) _storages[reference.Key] = known with { ElementCount = reference.ElementCount };
        }
        else
        {
            _storages[reference.Key] = reference with { ViewOffset = 0 };
        }
        return reference;
    }
}
