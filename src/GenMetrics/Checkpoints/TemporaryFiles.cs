namespace GenMetrics.Checkpoints;

/// <summary>
/// The temporary files of <see cref="AtomicFileWriter"/> that exist right now, so an interrupt (Ctrl+C, SIGTERM)
/// can delete them before the process exits. Creation, the final rename and <see cref="DeleteAllAndClose"/> take
/// one lock, so after the interrupt no temporary file is created or renamed into place and none is left behind.
/// </summary>
internal static class TemporaryFiles
{
    private static readonly object Gate = new();
    private static readonly HashSet<string> Pending = new(StringComparer.Ordinal);
    private static bool _closed;

    /// <summary>A fresh temporary file name beside <paramref name="fullTarget"/> (same folder, so the rename is atomic).</summary>
    public static string PathBeside(string fullTarget) =>
        fullTarget + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>Creates <paramref name="temp"/> (it must not exist) and records it.</summary>
    /// <exception cref="GenMetricsException">The process is being interrupted.</exception>
    public static FileStream Create(string temp)
    {
        lock (Gate)
        {
            RequireOpen(temp);
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            Pending.Add(temp);
            return stream;
        }
    }

    /// <summary>Renames <paramref name="temp"/> onto <paramref name="target"/> (replacing it) and forgets it.</summary>
    /// <exception cref="GenMetricsException">The process is being interrupted (the temporary file is already gone).</exception>
    public static void Commit(string temp, string target)
    {
        lock (Gate)
        {
            RequireOpen(target);
            File.Move(temp, target, overwrite: true);
            Pending.Remove(temp);
        }
    }

    /// <summary>Deletes <paramref name="temp"/> if it still exists and forgets it.</summary>
    public static void Discard(string temp)
    {
        lock (Gate)
        {
            File.Delete(temp);
            Pending.Remove(temp);
        }
    }

    /// <summary>Deletes every recorded temporary file; from then on <see cref="Create"/> and <see cref="Commit"/> refuse.</summary>
    public static void DeleteAllAndClose()
    {
        lock (Gate)
        {
            _closed = true;
            foreach (string temp in Pending)
            {
                try
                {
                    File.Delete(temp);
                }
                catch (IOException)
                {
                    // Best effort while exiting; the file may already be gone.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
            Pending.Clear();
        }
    }

    private static void RequireOpen(string path)
    {
        if (_closed) throw new GenMetricsException($"{path}: not written, the program is being interrupted");
    }
}
