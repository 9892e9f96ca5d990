using System.Runtime.InteropServices;

namespace GenMetrics.Checkpoints;

/// <summary>
/// Writes a float32 N×d <c>.npy</c> a block of rows at a time into a temporary file beside the target, renamed into
/// place by <see cref="Commit"/> once all N rows are written; disposed without a commit, the temporary file is
/// deleted, so the target is either absent or complete.
/// </summary>
internal sealed class NpyRowWriter : IDisposable
{
    private readonly string _target;
    private readonly string _temp;
    private readonly long _expected;
    private FileStream? _stream;
    private long _written;

    private NpyRowWriter(string target, string temp, FileStream stream, long rows)
    {
        _target = target;
        _temp = temp;
        _stream = stream;
        _expected = rows;
    }

    /// <summary>Starts <paramref name="path"/> for <paramref name="rows"/>×<paramref name="columns"/> float32 values.</summary>
    /// <exception cref="IOException">The temporary file cannot be created.</exception>
    public static NpyRowWriter Create(string path, int rows, int columns)
    {
        string full = Path.GetFullPath(path);
        string temp = TemporaryFiles.PathBeside(full);
        FileStream stream = TemporaryFiles.Create(temp);
        try
        {
            NpyFile.WriteHeader(stream, "f4", [rows, columns]);
        }
        catch
        {
            stream.Dispose();
            TemporaryFiles.Discard(temp);
            throw;
        }
        return new NpyRowWriter(full, temp, stream, (long)rows * columns);
    }

    /// <summary>Appends values (whole rows, row-major).</summary>
    public void Write(ReadOnlySpan<float> values)
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        _stream.Write(MemoryMarshal.AsBytes(values));
        _written += values.Length;
    }

    /// <summary>Closes the file and renames it onto the target.</summary>
    /// <exception cref="InvalidOperationException">Fewer or more values were written than the header declares.</exception>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_stream is null, this);
        if (_written != _expected) throw new InvalidOperationException($"{_written} values written, {_expected} declared");
        _stream.Dispose();
        _stream = null;
        TemporaryFiles.Commit(_temp, _target);
    }

    /// <summary>Deletes the temporary file unless committed.</summary>
    public void Dispose()
    {
        if (_stream is null) return;
        _stream.Dispose();
        _stream = null;
        try
        {
            TemporaryFiles.Discard(_temp);
        }
        catch (IOException)
        {
            // best effort: the process-exit cleanup retries pending temporary files
        }
    }
}
