namespace GenMetrics.Checkpoints;

/// <summary>
/// Writes a file through a temporary file beside the target and a rename, so a failed write (disk full,
/// exception in the writer) never leaves a half-written file and never replaces a good one. The temporary file is
/// recorded in <see cref="TemporaryFiles"/>, so an interrupt removes it too.
/// </summary>
internal static class AtomicFileWriter
{
    /// <exception cref="GenMetricsException">The target exists and is not a regular file (a device, FIFO, folder).</exception>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        FileKindPolicy.RequireReplaceableOutput(full);
        string temp = TemporaryFiles.PathBeside(full);
        FileStream created;
        try
        {
            created = TemporaryFiles.Create(temp);
        }
        catch (IOException e)
        {
            throw new GenMetricsException($"{path}: cannot create a temporary file beside the output ({e.Message}); check the folder", e);
        }
        try
        {
            using (var stream = created)
            {
                write(stream);
            }
            TemporaryFiles.Commit(temp, full);
        }
        catch
        {
            TemporaryFiles.Discard(temp);
            throw;
        }
    }
}
