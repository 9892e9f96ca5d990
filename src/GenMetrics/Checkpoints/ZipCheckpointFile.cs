using System.IO.Compression;

namespace GenMetrics.Checkpoints;

/// <summary>
/// Reads the zip <c>torch.save</c> format: <c>&lt;folder&gt;/data.pkl</c> (the object pickle, storages as
/// persistent ids <c>('storage', type, key, location, numel)</c>), <c>&lt;folder&gt;/data/&lt;key&gt;</c>
/// (raw storages, usually stored uncompressed) and optionally <c>&lt;folder&gt;/byteorder</c>. The folder
/// name varies (it is the file stem when saved), so data.pkl is searched for. A TorchScript archive
/// (<c>torch.jit.save</c>: the same layout plus <c>constants.pkl</c> and <c>code/</c>) is read the same way, its
/// data.pkl being the module tree; <c>code/</c> is never opened and constants.pkl is only decoded (with the same
/// allow-list) to check that it holds nothing else.
/// </summary>
internal static class ZipCheckpointFile
{
    /// <summary>Reads from a seekable stream positioned at the start of the file; <paramref name="name"/> becomes <see cref="StateDict.SourcePath"/>.</summary>
    public static StateDict Read(Stream stream, string name)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var pickleEntry = zip.Entries
            .Where(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
            .OrderBy(e => e.FullName.Length)
            .FirstOrDefault()
            ?? throw new CheckpointFormatException("the zip archive has no data.pkl", "pass a file written by torch.save");
        string folder = pickleEntry.FullName[..^"data.pkl".Length];

        bool bigEndian = false;
        if (zip.GetEntry(folder + "byteorder") is { } byteOrderEntry)
        {
            bigEndian = System.Text.Encoding.ASCII.GetString(ReadEntry(byteOrderEntry, 64)).Trim() == "big";
        }

        bool torchScript = IsTorchScript(zip, folder);
        if (torchScript && zip.GetEntry(folder + "constants.pkl") is { } constantsEntry)
        {
            using var constants = new MemoryStream(ReadEntry(constantsEntry, MaxPickleBytes));
            PickleMachine.Load(constants, new StorageCatalog().Register, torchScript: true);
        }

        var catalog = new StorageCatalog();
        object? root;
        using (var pickle = new MemoryStream(ReadEntry(pickleEntry, MaxPickleBytes)))
        {
            root = PickleMachine.Load(pickle, catalog.Register, torchScript);
        }
        var records = PickledStateDict.Collect(root);

        var data = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (key, storage) in catalog.Storages)
        {
            var entry = zip.GetEntry(folder + "data/" + key)
                ?? throw new CheckpointFormatException($"storage '{key}' is missing from the archive ({folder}data/{key})");
            long needed = storage.ElementCount * storage.DType.ElementSize();
            if (entry.Length < needed)
            {
                throw new CheckpointFormatException($"storage '{key}' has {entry.Length} bytes, its tensors need {needed}");
            }
            byte[] bytes = ReadEntry(entry, Math.Max(needed, 0) + 4096);
            if (bigEndian) CheckpointTensor.SwapToLittleEndian(bytes, storage.DType);
            data[key] = bytes;
        }
        return new StateDict(name, torchScript ? CheckpointFormat.TorchScript : CheckpointFormat.TorchZip, PickledStateDict.Resolve(records, s => data[s.Key]))
        {
            ModuleIntegers = PickledStateDict.CollectModuleIntegers(root),
        };
    }

    /// <summary>A <c>torch.jit.save</c> archive has constants.pkl or a code/ folder beside data.pkl; <c>torch.save</c> has neither.</summary>
    private static bool IsTorchScript(ZipArchive zip, string folder) =>
        zip.GetEntry(folder + "constants.pkl") is not null
        || zip.Entries.Any(e => e.FullName.StartsWith(folder + "code/", StringComparison.Ordinal));

    /// <summary>Largest data.pkl accepted: the pickle of a state dict only names tensors (the pickles of real networks are well under 1 MiB).</summary>
    public const long MaxPickleBytes = 64L << 20;

    /// <summary>Largest inflation ratio accepted for a compressed member larger than 1 MiB (zip bombs inflate far beyond it).</summary>
    public const long MaxInflationRatio = 200;

    /// <summary>
    /// Reads a member whole, refusing one whose declared size exceeds <paramref name="limit"/> or which inflates more
    /// than <see cref="MaxInflationRatio"/>:1; never reads more than the declared size, so memory stays bounded.
    /// </summary>
    private static byte[] ReadEntry(ZipArchiveEntry entry, long limit)
    {
        if (entry.Length > limit)
        {
            throw new CheckpointFormatException($"{entry.FullName} declares {entry.Length} bytes, more than the {limit} its contents can need", "the file is damaged or crafted; pass a file written by torch.save");
        }
        if (entry.Length > (1L << 20) && entry.Length > entry.CompressedLength * MaxInflationRatio)
        {
            throw new CheckpointFormatException($"{entry.FullName} inflates from {entry.CompressedLength} to {entry.Length} bytes, more than {MaxInflationRatio}:1", "the file is damaged or crafted; pass a file written by torch.save");
        }
        if (entry.Length > Array.MaxLength) throw new CheckpointFormatException($"{entry.FullName} is larger than 2 GB", "save the checkpoint in safetensors format");
        var bytes = GC.AllocateUninitializedArray<byte>((int)entry.Length);
        using var stream = entry.Open();
        stream.ReadExactly(bytes);
        return bytes;
    }
}
