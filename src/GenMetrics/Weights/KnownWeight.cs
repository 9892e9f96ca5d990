using System.Text.RegularExpressions;

namespace GenMetrics.Weights;

/// <summary>
/// A published weights file GenMetrics knows how to find: where it is downloaded from, the file name it
/// is cached under, and the SHA-256 prefix it must have.
/// </summary>
/// <remarks>
/// As torch.hub does (<c>HASH_REGEX = r'-([a-f0-9]*)\.'</c>), the expected hash prefix is taken from the
/// file name when not given: <c>pt_inception-2015-12-05-6726825d.pth</c> → <c>6726825d</c>. The hash is
/// checked after a download and before a file found in a cache is used (torch.hub checks only on download);
/// a file passed explicitly is used as it is.
/// </remarks>
public sealed partial class KnownWeight
{
    /// <summary>Describes a weights file.</summary>
    /// <param name="name">Short identifier, e.g. <c>fid-inception-v3</c>.</param>
    /// <param name="fileName">File name in the caches (and, for mirrors, on the server).</param>
    /// <param name="url">Canonical download address.</param>
    /// <param name="description">One line for listings.</param>
    /// <param name="sha256Prefix">Expected lower-case hex prefix of the SHA-256; null takes it from <paramref name="fileName"/> (torch.hub convention), empty disables the check.</param>
    /// <param name="alternateFileNames">Other names the same file is cached under by other tools.</param>
    public KnownWeight(string name, string fileName, Uri url, string description, string? sha256Prefix = null, IReadOnlyList<string>? alternateFileNames = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        ArgumentNullException.ThrowIfNull(url);
        if (fileName != Path.GetFileName(fileName)) throw new ArgumentException($"'{fileName}' is not a plain file name", nameof(fileName));
        Name = name;
        FileName = fileName;
        Url = url;
        Description = description;
        Sha256Prefix = (sha256Prefix ?? HashPrefixOf(fileName) ?? "").ToLowerInvariant();
        AlternateFileNames = alternateFileNames ?? [];
    }

    /// <summary>Short identifier, e.g. <c>fid-inception-v3</c>.</summary>
    public string Name { get; }

    /// <summary>File name in the caches.</summary>
    public string FileName { get; }

    /// <summary>Canonical download address.</summary>
    public Uri Url { get; }

    /// <summary>One line for listings.</summary>
    public string Description { get; }

    /// <summary>Expected lower-case hex prefix of the file's SHA-256 (empty: not checked).</summary>
    public string Sha256Prefix { get; }

    /// <summary>Other names under which other tools cache the same file (accepted when found in a cache).</summary>
    public IReadOnlyList<string> AlternateFileNames { get; }

    /// <summary>The file name and its alternates, in lookup order.</summary>
    public IEnumerable<string> AllFileNames => AlternateFileNames.Prepend(FileName);

    /// <summary>torch.hub's rule: the first <c>-hex.</c> group of the file name, or null when there is none.</summary>
    internal static string? HashPrefixOf(string fileName)
    {
        var match = HashRegex().Match(fileName);
        return match.Success && match.Groups[1].Length > 0 ? match.Groups[1].Value : null;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} ({FileName})";

    [GeneratedRegex(@"-([a-f0-9]*)\.")]
    private static partial Regex HashRegex();
}
