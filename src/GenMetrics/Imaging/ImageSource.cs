namespace GenMetrics.Imaging;

/// <summary>
/// The images of one input: a single image file, a folder (files with the extensions png jpg jpeg bmp webp tif
/// tiff pgm ppm, case-insensitive, optionally recursive without following links to folders) or a .zip archive
/// (every image member, at any depth). Entries are sorted ordinally by their relative path ('/' separators).
/// macOS AppleDouble companions (<c>._name.png</c>, <c>__MACOSX/</c>) are skipped: they are not images.
/// </summary>
/// <remarks>
/// pytorch-fid sorts its glob the same way (case-sensitive code-point order). Listing reads only directory
/// metadata; pixels are decoded on demand by <see cref="ImageEntry.Decode"/> or in parallel by
/// <see cref="DecodeInOrder"/>, which holds at most <c>capacity</c> decoded images at a time, so folders of any
/// size stream in bounded memory. Dispose the source to close a .zip archive.
/// </remarks>
public sealed class ImageSource : IDisposable
{
    private readonly ZipImageArchive? _archive;

    private ImageSource(string path, IReadOnlyList<ImageEntry> entries, ZipImageArchive? archive, bool isSingleFile = false)
    {
        IsSingleFile = isSingleFile;
        Path = path;
        Entries = entries;
        _archive = archive;
    }

    /// <summary>The path given to <see cref="Open"/>.</summary>
    public string Path { get; }

    /// <summary>The images, sorted ordinally by <see cref="ImageEntry.RelativePath"/>.</summary>
    public IReadOnlyList<ImageEntry> Entries { get; }

    /// <summary>True when <see cref="Path"/> is a single image file rather than a folder or archive.</summary>
    public bool IsSingleFile { get; }

    /// <summary>Lists the images at <paramref name="path"/>.</summary>
    /// <param name="path">An image file, a folder or a .zip archive.</param>
    /// <param name="recursive">For a folder: include sub-folders (archives always include every member).</param>
    /// <exception cref="GenMetricsException">The path does not exist, or holds no images.</exception>
    public static ImageSource Open(string path, bool recursive = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) return OpenFolder(path, recursive);
        if (!File.Exists(path)) throw new GenMetricsException($"{path}: no such file or folder; check the path");
        if (string.Equals(System.IO.Path.GetExtension(path), ".zip", StringComparison.OrdinalIgnoreCase))
        {
            GenMetrics.Checkpoints.FileKindPolicy.RequireRegularInput(path);
            var (archive, entries) = ZipImageArchive.Open(path);
            if (entries.Count == 0)
            {
                archive.Dispose();
                throw new GenMetricsException($"{path}: the archive holds no images ({ImageExtensions.Listing}); add images to it");
            }
            entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
            return new ImageSource(path, entries, archive);
        }
        GenMetrics.Checkpoints.FileKindPolicy.RequireRegularInput(path);
        var info = new FileInfo(path);
        var entry = new ImageEntry(info.Name, info.FullName, info.Length, info.LastWriteTimeUtc, () => ReadFile(info.FullName));
        return new ImageSource(path, [entry], null, isSingleFile: true);
    }

    /// <summary>
    /// Decodes <see cref="Entries"/> on up to <paramref name="maxDegreeOfParallelism"/> threads and yields them in
    /// entry order; at most <paramref name="capacity"/> decoded images are held at once, and decoding ahead pauses
    /// while the decoded images waiting for the consumer hold <see cref="DecodedBytesAhead"/> bytes or more.
    /// </summary>
    /// <param name="maxDegreeOfParallelism">Decoding threads; 0 or less means one per core.</param>
    /// <param name="capacity">Decoded images held ahead of the consumer, at least 1.</param>
    /// <param name="ct">Stops decoding.</param>
    /// <exception cref="GenMetricsException">An image cannot be decoded (thrown when the enumeration reaches it).</exception>
    public IEnumerable<DecodedImage> DecodeInOrder(int maxDegreeOfParallelism, int capacity = 64, CancellationToken ct = default) =>
        OrderedParallelDecoder.Run(Entries, e => e.Decode(), maxDegreeOfParallelism, capacity, ct, image => image.Pixels.LongLength, DecodedBytesAhead)
            .Select(r => new DecodedImage(r.Item, r.Result));

    /// <summary>
    /// Decoded pixel bytes (RGB, 3 per pixel) that decoding may run ahead of the consumer: 512 MiB. With d decoding
    /// threads the pixels held are at most this plus 2·d of the largest image (an image is at most Pillow's
    /// decompression-bomb limit of 178,956,970 pixels, 537 MB decoded).
    /// </summary>
    public const long DecodedBytesAhead = 512L << 20;

    /// <summary>
    /// The entries [<paramref name="start"/>, <paramref name="end"/>) of this source, sharing its archive
    /// (dispose only the parent source). Used for shards of a sorted input.
    /// </summary>
    public ImageSource Slice(int start, int end)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfLessThan(end, start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(end, Entries.Count);
        return new ImageSource(Path, Entries.Skip(start).Take(end - start).ToList(), null, IsSingleFile);
    }

    /// <summary>Closes the archive of a .zip source; nothing to do for files and folders.</summary>
    public void Dispose() => _archive?.Dispose();

    private static ImageSource OpenFolder(string path, bool recursive)
    {
        var root = new DirectoryInfo(path);
        var options = new EnumerationOptions
        {
            RecurseSubdirectories = false,
            IgnoreInaccessible = false,
            MatchCasing = MatchCasing.CaseInsensitive,
            AttributesToSkip = FileAttributes.None,
        };
        var entries = new List<ImageEntry>();
        var folders = new Stack<DirectoryInfo>();
        folders.Push(root);
        while (folders.Count > 0)
        {
            var folder = folders.Pop();
            foreach (var file in folder.EnumerateFiles("*", options))
            {
                if (!ImageExtensions.IsImage(file.Name) || ImageExtensions.IsAppleDouble(file.Name)) continue;
                GenMetrics.Checkpoints.FileKindPolicy.RequireRegularInput(file.FullName);
                string relative = System.IO.Path.GetRelativePath(root.FullName, file.FullName).Replace('\\', '/');
                string full = file.FullName;
                entries.Add(new ImageEntry(relative, full, file.Length, file.LastWriteTimeUtc, () => ReadFile(full)));
            }
            if (!recursive) continue;
            foreach (var sub in folder.EnumerateDirectories("*", options))
            {
                // Like os.walk's default: symbolic links to folders are not followed (no duplicates, no cycles).
                if (sub.LinkTarget is null) folders.Push(sub);
            }
        }
        if (entries.Count == 0)
        {
            bool hasSubfolders = !recursive && root.EnumerateDirectories().Any();
            throw new GenMetricsException($"{path}: the folder holds no images ({ImageExtensions.Listing})"
                + (hasSubfolders ? "; it has sub-folders: open it with recursive: true to include them" : "; add images or pick another folder"))
            {
                ParameterName = hasSubfolders ? nameof(recursive) : null,
            };
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return new ImageSource(path, entries, null);
    }

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenMetricsException($"{path}: cannot read the file ({e.Message}); check that it exists and is readable", e);
        }
    }
}
