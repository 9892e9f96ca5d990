using System.Globalization;

namespace GenMetrics.Checkpoints;

/// <summary>
/// Writes a file through a temporary file beside the target and a rename, so a failed write (disk full,
/// exception in the writer) never leaves a half-written file and never replaces a good one.
/// </summary>
internal static class AtomicFileWriter
{
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string temp = full + ".tmp-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        try
        {
            using (var stream = File.Create(temp))
            {
                write(stream);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
