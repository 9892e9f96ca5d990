namespace GenMetrics.Imaging;

/// <summary>One image of an <see cref="ImageSource"/>: a file on disk or a member of a .zip archive.</summary>
public sealed class ImageEntry
{
    private readonly Func<byte[]> _read;

    internal ImageEntry(string relativePath, string location, long length, DateTime lastWriteTimeUtc, Func<byte[]> read)
    {
        RelativePath = relativePath;
        Location = location;
        Length = length;
        LastWriteTimeUtc = lastWriteTimeUtc;
        _read = read;
    }

    /// <summary>Path relative to the source folder or archive, with '/' separators (the file name for a single file).</summary>
    public string RelativePath { get; }

    /// <summary>Where the image lives, for messages: the full file path, or <c>archive.zip!member</c>.</summary>
    public string Location { get; }

    /// <summary>Size in bytes of the encoded file (uncompressed size for an archive member).</summary>
    public long Length { get; }

    /// <summary>Last modification time (UTC), e.g. for cache keys.</summary>
    public DateTime LastWriteTimeUtc { get; }

    /// <summary>The encoded bytes of the file.</summary>
    /// <exception cref="GenMetricsException">The file cannot be read.</exception>
    public byte[] ReadBytes() => _read();

    /// <summary>Reads and decodes the image (see <see cref="ImageDecoder"/>). Thread-safe.</summary>
    /// <exception cref="GenMetricsException">The file cannot be read or decoded; the message names <see cref="Location"/>.</exception>
    public RgbImage Decode() => ImageDecoder.Decode(ReadBytes(), Location);

    /// <inheritdoc/>
    public override string ToString() => Location;
}
