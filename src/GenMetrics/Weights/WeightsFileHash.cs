using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace GenMetrics.Weights;

/// <summary>
/// The SHA-256 of a weights file, computed once per process: results are kept by full path, length and last write
/// time, so resolving the same weights again (every evaluator, every verb of a long-lived process) reads nothing,
/// and a file replaced in place is hashed again.
/// </summary>
internal static class WeightsFileHash
{
    private static readonly ConcurrentDictionary<(string Path, long Length, long WriteTicks), string> Known = new();

    /// <summary>Lower-case hex SHA-256 of <paramref name="path"/>; IO errors propagate (callers word the fix).</summary>
    public static string Sha256(string path)
    {
        var file = new FileInfo(path);
        var key = (file.FullName, file.Length, file.LastWriteTimeUtc.Ticks);
        if (Known.TryGetValue(key, out string? hash)) return hash;
        using (var stream = file.OpenRead()) hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        Known[key] = hash;
        return hash;
    }
}
