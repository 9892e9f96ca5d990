using System.IO.Compression;

namespace GenMetrics.Imaging;

/// <summary>
/// A .zip of images read by many decoding threads: one <see cref="ZipArchive"/> (which is not thread-safe)
/// behind a lock; members are read whole under the lock and decoded outside it.
/// </summary>
internal sealed class ZipImageArchive : IDisposable
{
    private readonly object _lock = new();
    private readonly string _path;
    private ZipArchive? _archive;

    private ZipImageArchive(string path, ZipArchive archive)
    {
        _path = path;
        _archive = archive;
    }

    /// <summary>Opens the archive and lists its image members.</summary>
    public static (ZipImageArchive Archive, List<ImageEntry> Entries) Open(string path)
    {
        ZipArchive zip;
        try
        {
            zip = ZipFile.OpenRead(path);
        }
        catch (InvalidDataException e)
        {
            throw new GenMetricsException($"{path}: not a valid .zip archive ({e.Message}); re-create the archive", e);
        }
        var archive = new ZipImageArchive(path, zip);
        var entries = new List<ImageEntry>();
        foreach (var member in zip.Entries)
        {
            if (member.FullName.EndsWith('/') || !ImageExtensions.IsImage(member.Name)) continue;
            if (ImageExtensions.IsAppleDouble(member.Name) || member.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal)) continue;
            string name = member.FullName;
            entries.Add(new ImageEntry(name.Replace('\\', '/'), $"{path}!{name}", member.Length,
                member.LastWriteTime.UtcDateTime, () => archive.Read(name)));
        }
        return (archive, entries);
    }

    private byte[] Read(string member)
    {
        lock (_lock)
        {
            var zip = _archive ?? throw new ObjectDisposedException(_path);
            try
            {
                var entry = zip.GetEntry(member) ?? throw new GenMetricsException($"{_path}!{member}: member vanished from the archive");
                if (entry.Length > int.MaxValue) throw new GenMetricsException($"{_path}!{member}: member is too large");
                var bytes = new byte[entry.Length];
                using var stream = entry.Open();
                stream.ReadExactly(bytes);
                return bytes;
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                throw new GenMetricsException($"{_path}!{member}: cannot read the archive member ({e.Message}); re-create the archive", e);
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _archive?.Dispose();
            _archive = null;
        }
    }
}
