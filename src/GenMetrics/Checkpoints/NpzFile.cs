using System.IO.Compression;

namespace GenMetrics.Checkpoints;

/// <summary>
/// Reads and writes numpy <c>.npz</c> archives (a zip of <c>.npy</c> members, stored or deflated), e.g.
/// pytorch-fid statistics files with <c>mu</c> and <c>sigma</c>.
/// </summary>
public static class NpzFile
{
    private const int ArchiveReadBuffer = 1 << 18;

    /// <summary>Reads every array of an <c>.npz</c> file, keyed by member name without ".npy".</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path) => Read(path, _ => true);

    /// <summary>Reads the arrays of an <c>.npz</c> file whose key <paramref name="include"/> accepts (others are not decompressed).</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(string path, Func<string, bool> include)
    {
        ArgumentNullException.ThrowIfNull(include);
        var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        ReadEach(path, include, (key, stream, name) => result[key] = NpyFile.Read(stream, name));
        return result;
    }

    /// <summary>
    /// Opens each member whose key <paramref name="include"/> accepts and hands its (inflating) stream to
    /// <paramref name="read"/> with the key and the name to use in messages ("path:member.npy"), so a caller can read
    /// a payload straight into its destination.
    /// </summary>
    internal static void ReadEach(string path, Func<string, bool> include, Action<string, Stream, string> read)
    {
        if (!File.Exists(path)) throw new GenMetricsException($"{path}: file not found");
        FileKindPolicy.RequireRegularInput(path);
        try
        {
            // A deflated member is inflated from 8 KiB reads of the archive: with a 256 KiB file buffer they cost one
            // system call per 32 instead of one each (a 31 MiB pytorch-fid sigma: 4,000 → 125). Stored members are read
            // in one call whatever the buffer (reads larger than it bypass it).
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, ArchiveReadBuffer);
            using var zip = new ZipArchive(file, ZipArchiveMode.Read);
            foreach (var entry in zip.Entries)
            {
                string key = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
                if (!include(key)) continue;
                using var s = entry.Open();
                read(key, s, $"{path}:{entry.FullName}");
            }
        }
        catch (InvalidDataException e)
        {
            throw new GenMetricsException($"{path}: not a valid .npz archive ({e.Message})", e);
        }
    }

    /// <summary>The array names of an <c>.npz</c> file (member names without ".npy"); only the zip directory is read.</summary>
    public static IReadOnlyList<string> ReadKeys(string path)
    {
        if (!File.Exists(path)) throw new GenMetricsException($"{path}: file not found");
        FileKindPolicy.RequireRegularInput(path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.Entries.Select(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal) ? e.FullName[..^4] : e.FullName).ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new GenMetricsException($"{path}: not a valid .npz archive ({e.Message})", e);
        }
    }

    /// <summary>
    /// Writes arrays to an <c>.npz</c> file. The archive is written to a temporary file beside the target
    /// and renamed into place, so a failed write never leaves a half-written file.
    /// </summary>
    public static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays, bool compress = false) =>
        Write(path, arrays, [], compress);

    /// <summary>
    /// <see cref="Write(string, IEnumerable{KeyValuePair{string, NpyArray}}, bool)"/> with members written first by
    /// callbacks that stream their own <c>.npy</c> bytes (arrays too large to hold in memory, e.g. an ADM batch's arr_0).
    /// </summary>
    internal static void Write(string path, IEnumerable<KeyValuePair<string, NpyArray>> arrays,
        IReadOnlyList<(string Key, Action<Stream> Write)> streamed, bool compress = false)
    {
        AtomicFileWriter.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            foreach (var (key, write) in streamed)
            {
                var entry = zip.CreateEntry(key + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var s = entry.Open();
                write(s);
            }
            foreach (var (key, array) in arrays)
            {
                var entry = zip.CreateEntry(key + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
                using var s = entry.Open();
                NpyFile.Write(s, array);
            }
        });
    }
}
