using System.Runtime.InteropServices;

namespace GenMetrics.Checkpoints;

/// <summary>
/// One policy for every file GenMetrics opens or replaces: inputs must be regular files (a symbolic link is
/// followed and its target must be a regular file); character and block devices, FIFOs and sockets are refused
/// by name before they are opened, so reading never blocks on a FIFO and never streams /dev/zero forever.
/// An existing output must be a regular file too: a device or FIFO given as <c>--out</c> is never replaced.
/// </summary>
internal static class FileKindPolicy
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28;

    /// <summary>Throws unless <paramref name="path"/> is, or links to, an existing regular file.</summary>
    /// <exception cref="GenMetricsException">The path is a device, FIFO, socket or folder.</exception>
    public static void RequireRegularInput(string path)
    {
        string? kind = NonRegularKind(path);
        if (kind is not null) throw new GenMetricsException($"{path}: is a {kind}, not a regular file; pass a regular file");
    }

    /// <summary>Throws when <paramref name="path"/> exists and is not a regular file (it would be replaced).</summary>
    /// <exception cref="GenMetricsException">The output path is a device, FIFO, socket or folder.</exception>
    public static void RequireReplaceableOutput(string path)
    {
        if (!Path.Exists(path) && new FileInfo(path).LinkTarget is null) return;
        string? kind = NonRegularKind(path);
        if (kind is not null) throw new GenMetricsException($"{path}: the output exists and is a {kind}, not a regular file; refusing to replace it, pick another output path");
    }

    /// <summary>
    /// <see cref="RequireReplaceableOutput"/>, and the output's folder must exist and accept a new file (checked by
    /// creating and deleting an empty probe file beside the output). Called before any work, so a bad output path
    /// fails in one line at once instead of after the whole computation.
    /// </summary>
    /// <exception cref="GenMetricsException">The output cannot be written there.</exception>
    public static void RequireWritableOutput(string path)
    {
        RequireReplaceableOutput(path);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? full;
        if (!Directory.Exists(folder)) throw new GenMetricsException($"{path}: the output folder {folder} does not exist; create it or pick another output path");
        string probe = Path.Combine(folder, $".{Path.GetFileName(full)}.probe-{Environment.ProcessId}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenMetricsException($"{path}: cannot write in {folder} ({e.Message.Split('\n')[0]}); pick a writable output path");
        }
    }

    /// <summary>Null for a regular file (or a path that does not exist); otherwise what it is, for messages.</summary>
    internal static string? NonRegularKind(string path)
    {
        if (Directory.Exists(path)) return "folder";
        if (OperatingSystem.IsWindows()) return null;
        var buffer = new byte[256];
        int rc;
        try
        {
            rc = Statx(AtFdCwd, path, 0, StatxType, buffer);
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return null;
        }
        if (rc != 0) return null; // missing or unreadable: the open that follows reports it by name
        int mode = BitConverter.ToUInt16(buffer, ModeOffset) & 0xF000;
        return mode switch
        {
            0x8000 => null,
            0x4000 => "folder",
            0x2000 => "character device",
            0x6000 => "block device",
            0x1000 => "FIFO (named pipe)",
            0xC000 => "socket",
            _ => "special file",
        };
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Statx(int dirfd, string path, int flags, uint mask, [Out] byte[] buffer);
}
