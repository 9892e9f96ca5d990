using GenMetrics.Statistics;

namespace GenMetrics.Checkpoints;

/// <summary>
/// Reads a 2-D C-order <c>.npy</c> matrix (N×d, any numeric dtype) a block of rows at a time as float64, so a
/// 50,000×2048 feature file is never held whole: memory is one block whatever N.
/// </summary>
internal sealed class NpyRowReader : IDisposable
{
    private readonly Stream _stream;
    private readonly NpyHeader _header;
    private readonly string _name;
    private long _rowsRead;
    private byte[] _raw = [];

    private NpyRowReader(Stream stream, NpyHeader header, string name)
    {
        _stream = stream;
        _header = header;
        _name = name;
    }

    /// <summary>Rows N.</summary>
    public long Rows => _header.Shape[0];

    /// <summary>Columns d.</summary>
    public int Columns => _header.Shape[1];

    /// <summary>
    /// Opens <paramref name="path"/>; null when the file is a Fortran-order matrix, which cannot be read by rows
    /// (read it whole with <see cref="NpyFile.Read(string)"/>).
    /// </summary>
    /// <exception cref="GenMetricsException">Not a readable .npy file, or not 2-D.</exception>
    public static NpyRowReader? Open(string path)
    {
        FileStream stream = NpyFile.OpenInput(path, 1 << 16);
        try
        {
            NpyHeader header = NpyFile.ReadHeader(stream, path);
            if (header.Shape.Length != 2)
            {
                throw new GenMetricsException($"{path}: expected a 2-D feature matrix (N x d), got shape ({string.Join(", ", header.Shape)})");
            }
            if (header.Fortran && header.Shape[0] > 1 && header.Shape[1] > 1)
            {
                stream.Dispose();
                return null;
            }
            long bytes = (long)header.Shape[0] * header.Shape[1] * header.ItemSize;
            if (bytes > stream.Length - stream.Position) throw NpyFile.Truncated(path);
            return new NpyRowReader(stream, header, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads the next rows as float64, row-major, into <paramref name="destination"/> (as many whole rows as it
    /// holds, or as remain); returns the number of rows read, 0 at the end. The raw bytes go through one buffer
    /// reused between calls, so reading allocates nothing per block.
    /// </summary>
    public int ReadRows(Span<double> destination)
    {
        int d = Columns;
        if (d == 0) return 0;
        int rows = (int)Math.Min(destination.Length / d, Rows - _rowsRead);
        if (rows <= 0) return 0;
        int bytes = rows * d * _header.ItemSize;
        if (_raw.Length < bytes) _raw = new byte[bytes];
        var raw = _raw.AsSpan(0, bytes);
        if (NpyFile.ReadFully(_stream, raw) < bytes) throw NpyFile.Truncated(_name);
        if (_header.BigEndian) NpyFile.SwapBytes(raw, _header.ItemSize);
        NpyArray.ConvertToFloat64(_header.Dtype, raw, destination[..(rows * d)]);
        _rowsRead += rows;
        return rows;
    }

    /// <summary>
    /// Streams every remaining row into n, Σx and ΣxxT, 256 rows at a time through one buffer;
    /// <paramref name="check"/> sees each block first (with the index of its first row) and may refuse it.
    /// </summary>
    public FeatureStatistics ReadStatistics(RowBlockCheck? check = null)
    {
        int d = Columns;
        var statistics = new FeatureStatistics(d);
        var block = new double[BlockRows * d];
        long row = _rowsRead;
        int rows;
        while ((rows = ReadRows(block)) > 0)
        {
            var values = block.AsSpan(0, rows * d);
            check?.Invoke(values, row);
            statistics.Add(values);
            row += rows;
        }
        return statistics;
    }

    /// <summary>Inspects a block of rows read by <see cref="ReadStatistics"/>; throws to refuse it.</summary>
    public delegate void RowBlockCheck(ReadOnlySpan<double> rows, long firstRow);

    /// <summary>Rows per block: 256 rows of 2048 float64 values is 4 MiB.</summary>
    private const int BlockRows = 256;

    /// <inheritdoc/>
    public void Dispose() => _stream.Dispose();
}
