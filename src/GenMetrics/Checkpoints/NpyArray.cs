using System.Runtime.InteropServices;

namespace GenMetrics.Checkpoints;

/// <summary>
/// An n-dimensional array as numpy stores it in <c>.npy</c>: a dtype, a shape and the raw little-endian
/// bytes in C (row-major) order. Fortran-ordered files are transposed to C order when read.
/// </summary>
public sealed class NpyArray
{
    /// <summary>Creates an array from raw C-order bytes.</summary>
    /// <param name="dtype">numpy dtype descriptor without byte order, e.g. "f4", "f8", "u1", "i8", "b1".</param>
    /// <param name="shape">The shape; empty for a 0-d array.</param>
    /// <param name="data">C-order little-endian element bytes.</param>
    public NpyArray(string dtype, int[] shape, byte[] data)
    {
        Dtype = dtype;
        Shape = shape;
        Data = data;
        if ((long)ElementCount * ItemSize != data.Length)
        {
            throw new ArgumentException($"npy data has {data.Length} bytes, shape and dtype need {(long)ElementCount * ItemSize}");
        }
    }

    /// <summary>numpy dtype descriptor without byte order: "f2", "f4", "f8", "i1".."i8", "u1".."u8", "b1".</summary>
    public string Dtype { get; }

    /// <summary>The shape (empty for a 0-d scalar).</summary>
    public int[] Shape { get; }

    /// <summary>Element bytes, little-endian, C order.</summary>
    public byte[] Data { get; }

    /// <summary>Number of elements (product of the shape; 1 for a 0-d array).</summary>
    public int ElementCount
    {
        get
        {
            long n = 1;
            foreach (int d in Shape) n *= d;
            return checked((int)n);
        }
    }

    /// <summary>Bytes per element.</summary>
    public int ItemSize => int.Parse(Dtype.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Wraps float32 values.</summary>
    public static NpyArray FromFloat32(ReadOnlySpan<float> values, params int[] shape) =>
        new("f4", shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>Wraps float64 values.</summary>
    public static NpyArray FromFloat64(ReadOnlySpan<double> values, params int[] shape) =>
        new("f8", shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>Wraps int64 values.</summary>
    public static NpyArray FromInt64(ReadOnlySpan<long> values, params int[] shape) =>
        new("i8", shape, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>Wraps bytes (uint8).</summary>
    public static NpyArray FromUInt8(ReadOnlySpan<byte> values, params int[] shape) =>
        new("u1", shape, values.ToArray());

    /// <summary>All elements converted to float64, in C order.</summary>
    public double[] ToFloat64()
    {
        var result = new double[ElementCount];
        ConvertToFloat64(Dtype, Data, result);
        return result;
    }

    /// <summary>
    /// Converts little-endian items of <paramref name="dtype"/> ("f4", "i8", …) to float64, one per element of
    /// <paramref name="destination"/> (the one conversion behind <see cref="ToFloat64"/> and the streamed reader).
    /// </summary>
    internal static void ConvertToFloat64(string dtype, ReadOnlySpan<byte> b, Span<double> destination)
    {
        int n = destination.Length;
        switch (dtype)
        {
            case "f8": MemoryMarshal.Cast<byte, double>(b)[..n].CopyTo(destination); break;
            case "f4": { var s = MemoryMarshal.Cast<byte, float>(b); for (int i = 0; i < n; i++) destination[i] = s[i]; break; }
            case "f2": { var s = MemoryMarshal.Cast<byte, Half>(b); for (int i = 0; i < n; i++) destination[i] = (double)s[i]; break; }
            case "i8": { var s = MemoryMarshal.Cast<byte, long>(b); for (int i = 0; i < n; i++) destination[i] = s[i]; break; }
            case "i4": { var s = MemoryMarshal.Cast<byte, int>(b); for (int i = 0; i < n; i++) destination[i] = s[i]; break; }
            case "i2": { var s = MemoryMarshal.Cast<byte, short>(b); for (int i = 0; i < n; i++) destination[i] = s[i]; break; }
            case "i1": { for (int i = 0; i < n; i++) destination[i] = (sbyte)b[i]; break; }
            case "u8": { var s = MemoryMarshal.Cast<byte, ulong>(b); for (int i = 0; i < n; i++) destination[i] = s[i]; break; }
            case "u4": { var s = MemoryMarshal.Cast<byte, uint>(b); for (int i = 0; i < n; i++) destination[i] = s[i]; break; }
            case "u2": { var s = MemoryMarshal.Cast<byte, ushort>(b); for (int i = 0; i < n; i++) destination[i] = s[i]; break; }
            case "u1":
            case "b1": { for (int i = 0; i < n; i++) destination[i] = b[i]; break; }
            default: throw new GenMetricsException($"npy dtype '{dtype}' is not supported");
        }
    }

    /// <summary>All elements converted to float32, in C order.</summary>
    public float[] ToFloat32()
    {
        if (Dtype == "f4") return MemoryMarshal.Cast<byte, float>(Data).ToArray();
        double[] d = ToFloat64();
        var result = new float[d.Length];
        for (int i = 0; i < d.Length; i++) result[i] = (float)d[i];
        return result;
    }

    /// <summary>All elements converted to int64, in C order (floats are truncated).</summary>
    public long[] ToInt64()
    {
        if (Dtype == "i8") return MemoryMarshal.Cast<byte, long>(Data).ToArray();
        double[] d = ToFloat64();
        var result = new long[d.Length];
        for (int i = 0; i < d.Length; i++) result[i] = (long)d[i];
        return result;
    }
}
