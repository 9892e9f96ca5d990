namespace GenMetrics.Checkpoints;

/// <summary>
/// Turns the unpickled root object of a torch file into tensors: the dict's tensor values, nested dicts
/// flattened with "." (as <c>state_dict()</c> names them), and a top-level <c>'state_dict'</c> entry
/// unwrapped (training checkpoints). Non-tensor values (ints, strings, None) are skipped.
/// </summary>
internal static class PickledStateDict
{
    /// <summary>Collects the tensor records of <paramref name="root"/> in order, keyed by their state-dict names.</summary>
    public static List<(string Name, TensorRecord Record)> Collect(object? root)
    {
        if (root is TorchScriptObject module)
        {
            var tensors = new List<(string, TensorRecord)>();
            int visits = 0;
            FlattenModule(module, "", tensors, depth: 0, ref visits);
            return tensors;
        }
        if (root is not PickleDict dict)
        {
            throw new CheckpointFormatException(
                $"the file holds a pickled {(root is null ? "None" : root.GetType().Name)}, not a state dict",
                "save the weights with torch.save(model.state_dict(), path)");
        }
        foreach (var (key, value) in dict.Items)
        {
            if (key is "state_dict" && value is PickleDict inner) dict = inner;
        }
        var result = new List<(string, TensorRecord)>();
        Flatten(dict, "", result, depth: 0);
        return result;
    }

    /// <summary>
    /// The integer attributes of a TorchScript module tree (a convolution's <c>stride</c> 2 → [2], its
    /// <c>padding</c> <c>build_intlist([0, 3])</c> → [0, 3]) by attribute path; empty for anything else.
    /// </summary>
    public static Dictionary<string, long[]> CollectModuleIntegers(object? root)
    {
        var result = new Dictionary<string, long[]>(StringComparer.Ordinal);
        if (root is TorchScriptObject module)
        {
            int visits = 0;
            CollectIntegers(module, "", result, 0, ref visits);
        }
        return result;
    }

    private static void CollectIntegers(TorchScriptObject module, string prefix, Dictionary<string, long[]> result, int depth, ref int visits)
    {
        if (depth > 64 || ++visits > PickleMachine.MaxPushes) throw new CheckpointFormatException("malformed pickle: the TorchScript module tree is too deep or has too many paths");
        foreach (var (key, value) in module.Attributes.Items)
        {
            if (key is not string name) continue;
            switch (value)
            {
                case long number: result[prefix + name] = [number]; break;
                case List<object?> list when list.Count <= 8 && list.All(v => v is long):
                    result[prefix + name] = list.Select(v => (long)v!).ToArray();
                    break;
                case TorchScriptObject child: CollectIntegers(child, prefix + name + ".", result, depth + 1, ref visits); break;
            }
        }
    }

    /// <summary>Builds the public tensors once every storage's bytes are known.</summary>
    public static IEnumerable<CheckpointTensor> Resolve(
        List<(string Name, TensorRecord Record)> records, Func<StorageReference, ReadOnlyMemory<byte>> storageBytes)
    {
        foreach (var (name, record) in records)
        {
            var storage = record.Storage;
            yield return new CheckpointTensor(
                name, storage.DType, record.Shape, record.Strides, record.StorageOffset + storage.ViewOffset, storageBytes(storage));
        }
    }

    /// <summary>
    /// Interprets a persistent id <c>('storage', torch.XStorage, key, location, numel[, view_metadata])</c>.
    /// The location is ignored (<c>map_location='cpu'</c>). A legacy view <c>(view_key, offset, size)</c>
    /// becomes an element offset into the root storage.
    /// </summary>
    public static StorageReference ParseStorageId(object? pid)
    {
        if (pid is not object?[] t || t.Length < 5 || t[0] is not "storage")
        {
            throw new CheckpointFormatException("malformed pickle: a persistent id is not a ('storage', ...) tuple");
        }
        if (t[1] is not PickleGlobal type || TensorDTypeFacts.FromStorageClass(type.Name) is not TensorDType dtype)
        {
            throw new CheckpointFormatException("malformed pickle: a persistent id does not name a torch storage type");
        }
        string key = t[2] switch
        {
            string s => s,
            long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => throw new CheckpointFormatException("malformed pickle: a storage key is not a string"),
        };
        if (t[4] is not long numel || numel < 0) throw new CheckpointFormatException($"malformed pickle: storage '{key}' has no element count");
        long viewOffset = 0;
        if (t.Length > 5 && t[5] is object?[] view)
        {
            if (view.Length < 2 || view[1] is not long offset || offset < 0) throw new CheckpointFormatException($"malformed pickle: storage '{key}' has a bad view");
            viewOffset = offset;
        }
        return new StorageReference(key, dtype, numel, viewOffset);
    }

    /// <summary>
    /// A TorchScript module tree: the tensor attributes of each object (parameters and buffers alike) named by
    /// their attribute path, as <c>state_dict()</c> names them (<c>layers.conv.weight</c>); other attributes
    /// (<c>training</c>, strides, paddings) are skipped.
    /// </summary>
    private static void FlattenModule(TorchScriptObject module, string prefix, List<(string, TensorRecord)> result, int depth, ref int visits)
    {
        if (depth > 64) throw new CheckpointFormatException("malformed pickle: TorchScript modules nested too deeply");
        // Shared objects are visited once per path; a crafted graph of shared children would have exponentially many.
        if (++visits > PickleMachine.MaxPushes) throw new CheckpointFormatException("malformed pickle: the TorchScript module tree has too many paths");
        foreach (var (key, value) in module.Attributes.Items)
        {
            if (key is not string name) continue;
            switch (value)
            {
                case TensorRecord record: result.Add((prefix + name, record)); break;
                case TorchScriptObject child: FlattenModule(child, prefix + name + ".", result, depth + 1, ref visits); break;
            }
        }
    }

    private static void Flatten(PickleDict dict, string prefix, List<(string, TensorRecord)> result, int depth)
    {
        if (depth > 16) throw new CheckpointFormatException("malformed pickle: dicts nested too deeply");
        foreach (var (key, value) in dict.Items)
        {
            string? part = key switch
            {
                string text => text,
                long number => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            if (part is null) continue;
            string name = prefix + part;
            switch (value)
            {
                case TensorRecord record: result.Add((name, record)); break;
                case PickleDict inner: Flatten(inner, name + ".", result, depth + 1); break;
            }
        }
    }
}
