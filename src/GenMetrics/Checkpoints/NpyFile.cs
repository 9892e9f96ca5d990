using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace GenMetrics.Checkpoints;

/// <summary>
/// Reads and writes numpy <c>.npy</c> files (format versions 1.0, 2.0 and 3.0; little- and big-endian
/// numeric dtypes; C and Fortran order). Object arrays (pickles) are refused.
/// </summary>
public static class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Largest .npy header accepted (numpy itself refuses headers over 10,000 bytes by default).</summary>
    public const int MaxHeaderLength = 65536;

    /// <summary>Reads a <c>.npy</c> file from disk.</summary>
    public static NpyArray Read(string path)
    {
        using var stream = OpenInput(path);
        return Read(stream, path);
    }

    /// <summary>Opens an existing regular <c>.npy</c> input for reading, with one clear line for each way it can fail.</summary>
    internal static FileStream OpenInput(string path, int bufferSize = 4096)
    {
        if (!File.Exists(path)) throw new GenMetricsException($"{path}: file not found; pass an existing .npy file");
        FileKindPolicy.RequireRegularInput(path);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GenMetricsException($"{path}: permission denied; make the file readable", e);
        }
    }

    /// <summary>Reads a <c>.npy</c> array from a stream; <paramref name="name"/> is used in error messages.</summary>
    public static NpyArray Read(Stream stream, string name)
    {
        NpyHeader header = ReadHeader(stream, name);
        int bytes = PayloadBytes(header, name);
        if (stream.CanSeek && bytes > stream.Length - stream.Position) throw Truncated(name);
        return ReadPayload(stream, header, bytes, name);
    }

    /// <summary>The <paramref name="bytes"/> of payload after a header, as a little-endian C-order array.</summary>
    private static NpyArray ReadPayload(Stream stream, NpyHeader header, int bytes, string name)
    {
        var data = new byte[bytes];
        if (ReadFully(stream, data) < data.Length) throw Truncated(name);
        if (header.BigEndian) SwapBytes(data, header.ItemSize);
        if (header.Fortran && header.Shape.Length > 1) data = FortranToC(data, header.Shape, header.ItemSize);
        return new NpyArray(header.Dtype, header.Shape, data);
    }

    /// <summary>
    /// Reads a <c>.npy</c> array from a stream as float64 values in C order. A little-endian C-order float64 payload
    /// is read straight into the result (no byte copy, no conversion); any other dtype is converted.
    /// <paramref name="dtype"/> is the stored dtype without byte order ("f8", "f4", …).
    /// </summary>
    internal static double[] ReadFloat64(Stream stream, string name, out int[] shape, out string dtype)
    {
        NpyHeader header = ReadHeader(stream, name);
        shape = header.Shape;
        dtype = header.Dtype;
        return Float64Payload(stream, header, name);
    }

    /// <summary>
    /// Reads a <c>.npy</c> feature file: a float32 array as float32 (a little-endian C-order payload straight into the
    /// result), any other dtype as float64 (as <see cref="ReadFloat64(Stream, string, out int[], out string)"/>); exactly
    /// one of the two is returned.
    /// </summary>
    internal static (float[]? Float32, double[]? Float64) ReadFloat32OrFloat64(string path, out int[] shape)
    {
        using var stream = OpenInput(path);
        NpyHeader header = ReadHeader(stream, path);
        shape = header.Shape;
        if (header.Dtype != "f4") return (null, Float64Payload(stream, header, path));
        int bytes = CheckedPayloadBytes(stream, header, path);
        return (ReadStraight<float>(stream, header, bytes, path) ?? ReadPayload(stream, header, bytes, path).ToFloat32(), null);
    }

    /// <summary>The payload after <paramref name="header"/> as float64: an "f8" one read straight in, any other converted.</summary>
    private static double[] Float64Payload(Stream stream, NpyHeader header, string name)
    {
        int bytes = CheckedPayloadBytes(stream, header, name);
        if (header.Dtype == "f8" && ReadStraight<double>(stream, header, bytes, name) is { } values) return values;
        return ReadPayload(stream, header, bytes, name).ToFloat64();
    }

    /// <summary><see cref="PayloadBytes"/>, refused when a seekable stream holds fewer.</summary>
    private static int CheckedPayloadBytes(Stream stream, NpyHeader header, string name)
    {
        int bytes = PayloadBytes(header, name);
        if (stream.CanSeek && bytes > stream.Length - stream.Position) throw Truncated(name);
        return bytes;
    }

    /// <summary>
    /// A little-endian C-order payload of T read straight into the result (no byte copy); null, with nothing read, for a
    /// big-endian or Fortran-order one.
    /// </summary>
    private static T[]? ReadStraight<T>(Stream stream, NpyHeader header, int bytes, string name) where T : unmanaged
    {
        if (header.BigEndian || (header.Fortran && header.Shape.Length >= 2)) return null;
        var values = new T[bytes / System.Runtime.CompilerServices.Unsafe.SizeOf<T>()];
        if (ReadFully(stream, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan())) < bytes) throw Truncated(name);
        return values;
    }

    /// <summary><see cref="ReadFloat64(Stream, string, out int[], out string)"/> without the dtype.</summary>
    internal static double[] ReadFloat64(Stream stream, string name, out int[] shape) => ReadFloat64(stream, name, out shape, out _);

    /// <summary>Bytes of the payload a header declares, refused when one array cannot hold it.</summary>
    private static int PayloadBytes(NpyHeader header, string name)
    {
        long count = 1;
        foreach (int d in header.Shape)
        {
            if (count * (long)d > Array.MaxLength) throw TooLarge(name, string.Join("x", header.Shape));
            count *= d;
        }
        if (count * header.ItemSize > Array.MaxLength) throw TooLarge(name, string.Join("x", header.Shape));
        return (int)(count * header.ItemSize);
    }

    /// <summary>
    /// Reads and validates the magic, version and header of a <c>.npy</c> stream, leaving the stream at the first
    /// data byte (the start of <see cref="NpyRowReader"/>'s blocks).
    /// </summary>
    internal static NpyHeader ReadHeader(Stream stream, string name)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (ReadFully(stream, prefix) < 8 || !prefix[..6].SequenceEqual(Magic))
        {
            throw new GenMetricsException($"{name}: not a .npy file (bad magic)");
        }
        int major = prefix[6];
        int headerLength;
        if (major == 1)
        {
            Span<byte> len = stackalloc byte[2];
            if (ReadFully(stream, len) < 2) throw Truncated(name);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
        }
        else if (major is 2 or 3)
        {
            Span<byte> len = stackalloc byte[4];
            if (ReadFully(stream, len) < 4) throw Truncated(name);
            uint claimed = BinaryPrimitives.ReadUInt32LittleEndian(len);
            headerLength = claimed > MaxHeaderLength ? int.MaxValue : (int)claimed;
        }
        else
        {
            throw new GenMetricsException($"{name}: unsupported .npy format version {major}");
        }
        if (headerLength > MaxHeaderLength)
        {
            throw new GenMetricsException($"{name}: the .npy header claims {headerLength} bytes, more than the {MaxHeaderLength} accepted; the file is damaged or not a numeric array");
        }
        var headerBytes = new byte[headerLength];
        if (ReadFully(stream, headerBytes) < headerLength) throw Truncated(name);
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        (string descr, bool fortran, int[] shape) = ParseHeaderOrThrow(header, name);

        char byteOrder = descr[0];
        string dtype = descr[1..];
        if (dtype is "b1" or "u1" or "i1") byteOrder = '|';
        if (!IsSupported(dtype)) throw new GenMetricsException($"{name}: npy dtype '{descr}' is not supported (numeric arrays only)");
        foreach (int d in shape)
        {
            if (d < 0) throw TooLarge(name, string.Join("x", shape));
        }
        int itemSize = int.Parse(dtype.AsSpan(1), CultureInfo.InvariantCulture);
        return new NpyHeader(dtype, byteOrder == '>' && itemSize > 1, fortran, shape, itemSize);
    }

    /// <summary>Reverses the bytes of each big-endian item in place.</summary>
    internal static void SwapBytes(Span<byte> data, int itemSize)
    {
        if (itemSize <= 1) return;
        for (int i = 0; i < data.Length; i += itemSize) data.Slice(i, itemSize).Reverse();
    }

    /// <summary>Writes an array as a version 1.0 <c>.npy</c> file (C order, little-endian).</summary>
    /// <remarks>The file is written to a temporary file beside the target and renamed into place, so a failed write never leaves a half-written file.</remarks>
    public static void Write(string path, NpyArray array) => AtomicFileWriter.Write(path, stream => Write(stream, array));

    /// <summary>Writes an array as a version 1.0 <c>.npy</c> stream (C order, little-endian).</summary>
    public static void Write(Stream stream, NpyArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        WriteHeader(stream, array.Dtype, array.Shape);
        stream.Write(array.Data);
    }

    /// <summary>
    /// Writes the magic and a version 1.0 header for C-order little-endian data of <paramref name="dtype"/> and
    /// <paramref name="shape"/>; the caller writes exactly that many items after it (rows can be streamed).
    /// </summary>
    internal static void WriteHeader(Stream stream, string dtype, IReadOnlyList<int> shape)
    {
        string order = dtype is "u1" or "i1" or "b1" ? "|" : "<";
        string shapeText = shape.Count switch
        {
            0 => "()",
            1 => $"({shape[0]},)",
            _ => "(" + string.Join(", ", shape) + ")",
        };
        string dict = $"{{'descr': '{order}{dtype}', 'fortran_order': False, 'shape': {shapeText}, }}";
        int unpadded = Magic.Length + 2 + 2 + dict.Length + 1;
        int padding = (64 - unpadded % 64) % 64;
        string header = dict + new string(' ', padding) + "\n";
        stream.Write(Magic);
        stream.WriteByte(1);
        stream.WriteByte(0);
        Span<byte> len = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(len, checked((ushort)header.Length));
        stream.Write(len);
        stream.Write(Encoding.Latin1.GetBytes(header));
    }

    private static bool IsSupported(string dtype) => dtype is "f2" or "f4" or "f8" or "i1" or "i2" or "i4" or "i8"
        or "u1" or "u2" or "u4" or "u8" or "b1";

    private static (string Descr, bool Fortran, int[] Shape) ParseHeaderOrThrow(string header, string name)
    {
        try
        {
            return ParseHeader(header, name);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentOutOfRangeException or IndexOutOfRangeException)
        {
            throw new GenMetricsException($"{name}: the .npy header is damaged ('{header.Trim()}'); write the file again", e);
        }
    }

    private static (string Descr, bool Fortran, int[] Shape) ParseHeader(string header, string name)
    {
        string descr = ValueOf(header, "descr", name).Trim().Trim('\'', '"');
        string fortranText = ValueOf(header, "fortran_order", name).Trim();
        string shapeText = ValueOf(header, "shape", name).Trim();
        if (descr.Length < 3) throw new GenMetricsException($"{name}: bad npy dtype '{descr}'");
        if (!shapeText.StartsWith('(') || !shapeText.EndsWith(')')) throw new GenMetricsException($"{name}: bad npy shape '{shapeText}'");
        int[] shape = shapeText[1..^1]
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s.TrimEnd('L'), CultureInfo.InvariantCulture))
            .ToArray();
        return (descr, fortranText == "True", shape);
    }

    private static string ValueOf(string header, string key, string name)
    {
        int k = header.IndexOf($"'{key}'", StringComparison.Ordinal);
        if (k < 0) throw new GenMetricsException($"{name}: npy header has no '{key}'");
        int colon = header.IndexOf(':', k);
        int start = colon + 1;
        while (start < header.Length && header[start] == ' ') start++;
        int end;
        if (header[start] == '(') end = header.IndexOf(')', start) + 1;
        else if (header[start] is '\'' or '"') end = header.IndexOf(header[start], start + 1) + 1;
        else
        {
            end = start;
            while (end < header.Length && header[end] != ',' && header[end] != '}') end++;
        }
        return header[start..end];
    }

    private static byte[] FortranToC(byte[] data, int[] shape, int itemSize)
    {
        int rank = shape.Length;
        int count = data.Length / itemSize;
        var result = new byte[data.Length];
        var fStrides = new long[rank];
        long s = 1;
        for (int d = 0; d < rank; d++) { fStrides[d] = s; s *= shape[d]; }
        var index = new int[rank];
        for (int c = 0; c < count; c++)
        {
            long f = 0;
            for (int d = 0; d < rank; d++) f += index[d] * fStrides[d];
            Buffer.BlockCopy(data, (int)(f * itemSize), result, c * itemSize, itemSize);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
        return result;
    }

    internal static int ReadFully(Stream stream, Span<byte> buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    internal static GenMetricsException Truncated(string name) => new($"{name}: .npy file is truncated; write or copy it again");

    private static GenMetricsException TooLarge(string name, string shapeText) =>
        new($"{name}: the .npy shape {shapeText} is negative or larger than one 2 GB array; split the data into smaller files");
}
