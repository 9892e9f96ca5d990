using System.Buffers.Binary;
using System.Numerics;

namespace GenMetrics.Checkpoints;

/// <summary>
/// Reads the legacy (non-zip) <c>torch.save</c> format: pickle(magic 0x1950a86a20f9469cfc6c),
/// pickle(protocol 1001), pickle(sys_info), pickle(object, storages as persistent ids), pickle(list of
/// storage keys), then per key in that list an int64 little-endian element count and the raw data.
/// The element count is always 8 bytes, whatever <c>type_sizes['long']</c> says (LPIPS files: 4).
/// </summary>
internal static class LegacyCheckpointFile
{
    private static readonly BigInteger MagicNumber = BigInteger.Parse("119547037146038801333356", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Reads from a seekable stream positioned at the start of the file; <paramref name="name"/> becomes <see cref="StateDict.SourcePath"/>.</summary>
    public static StateDict Read(Stream file, string name)
    {
        if (PickleMachine.Load(file) is not BigInteger magic || magic != MagicNumber)
        {
            throw new CheckpointFormatException("the legacy torch magic number is wrong");
        }
        if (PickleMachine.Load(file) is not long protocol || protocol != 1001)
        {
            throw new CheckpointFormatException("unsupported legacy torch protocol version (expected 1001)", "re-save the file with a current PyTorch");
        }
        bool littleEndian = true;
        if (PickleMachine.Load(file) is PickleDict sysInfo)
        {
            foreach (var (key, value) in sysInfo.Items)
            {
                if (key is "little_endian" && value is bool b) littleEndian = b;
            }
        }

        var catalog = new StorageCatalog();
        object? root = PickleMachine.Load(file, catalog.Register);
        var records = PickledStateDict.Collect(root);

        if (PickleMachine.Load(file) is not List<object?> keys) throw new CheckpointFormatException("the storage key list is missing");
        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        Span<byte> countBytes = stackalloc byte[8];
        foreach (object? keyObject in keys)
        {
            if (keyObject is not string key || !catalog.Storages.TryGetValue(key, out var storage))
            {
                throw new CheckpointFormatException($"the storage list names '{keyObject}', which no tensor uses");
            }
            file.ReadExactly(countBytes);
            long count = BinaryPrimitives.ReadInt64LittleEndian(countBytes);
            if (count < storage.ElementCount || count > int.MaxValue)
            {
                throw new CheckpointFormatException($"storage '{key}' holds {count} elements, its tensors need {storage.ElementCount}");
            }
            long byteCount = count * storage.DType.ElementSize();
            if (byteCount > Array.MaxLength) throw new CheckpointFormatException($"storage '{key}' is larger than 2 GB", "split the checkpoint or save it in safetensors format");
            if (byteCount > file.Length - file.Position) throw new EndOfStreamException();
            var bytes = GC.AllocateUninitializedArray<byte>((int)byteCount);
            file.ReadExactly(bytes);
            if (!littleEndian) CheckpointTensor.SwapToLittleEndian(bytes, storage.DType);
            data[key] = bytes;
        }
        return new StateDict(name, CheckpointFormat.TorchLegacy, PickledStateDict.Resolve(records, s =>
            data.TryGetValue(s.Key, out var bytes) ? bytes : throw new CheckpointFormatException($"storage '{s.Key}' has no data")));
    }
}
