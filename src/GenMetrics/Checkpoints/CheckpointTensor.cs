using System.Runtime.InteropServices;

namespace GenMetrics.Checkpoints;

/// <summary>
/// One tensor of a checkpoint: a dtype, a shape, and a view (element offset and strides) into a storage
/// that other tensors may share. The view is resolved when values are read, so every <c>To…</c> method
/// returns the elements in contiguous C (row-major) order, exactly as <c>tensor.contiguous()</c> would.
/// </summary>
public sealed class CheckpointTensor
{
    private readonly ReadOnlyMemory<byte> _storage;

    internal CheckpointTensor(string name, TensorDType dtype, int[] shape, long[] strides, long storageOffset, ReadOnlyMemory<byte> storage)
    {
        if (strides.Length != shape.Length)
        {
            throw new CheckpointFormatException($"tensor '{name}' has {shape.Length} sizes but {strides.Length} strides");
        }
        Name = name;
        DType = dtype;
        Shape = shape;
        Strides = strides;
        StorageOffset = storageOffset;
        _storage = storage;

        long count = 1;
        long last = storageOffset;
        for (int d = 0; d < shape.Length; d++)
        {
            if (shape[d] < 0 || strides[d] < 0) throw new CheckpointFormatException($"tensor '{name}' has a negative size or stride");
            count = checked(count * shape[d]);
            if (shape[d] > 0) last = checked(last + (shape[d] - 1) * strides[d]);
        }
        if (count > Array.MaxLength) throw new CheckpointFormatException($"tensor '{name}' has {count} elements, more than one array can hold");
        ElementCount = (int)count;
        long storageElements = storage.Length / dtype.ElementSize();
        if (count > 0 && (storageOffset < 0 || last >= storageElements))
        {
            throw new CheckpointFormatException($"tensor '{name}' reaches element {last} of a storage with {storageElements} elements");
        }
    }

    /// <summary>The state-dict key, e.g. <c>Conv2d_1a_3x3.conv.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The element type as stored in the file.</summary>
    public TensorDType DType { get; }

    /// <summary>The shape; empty for a 0-d (scalar) tensor.</summary>
    public int[] Shape { get; }

    /// <summary>Element strides into the storage, one per dimension (PyTorch's <c>tensor.stride()</c>).</summary>
    public long[] Strides { get; }

    /// <summary>Offset of element [0,…,0] in the storage, in elements (<c>tensor.storage_offset()</c>).</summary>
    public long StorageOffset { get; }

    /// <summary>Number of elements (product of the shape; 1 for a 0-d tensor, 0 for an empty one).</summary>
    public int ElementCount { get; }

    /// <summary>True when the strides are the C-order strides of the shape (size-1 dimensions ignored).</summary>
    public bool IsContiguous
    {
        get
        {
            long expected = 1;
            for (int d = Shape.Length - 1; d >= 0; d--)
            {
                if (Shape[d] != 1 && Strides[d] != expected) return false;
                expected *= Shape[d];
            }
            return true;
        }
    }

    /// <summary>The raw little-endian element bytes in C order, in the stored <see cref="DType"/> (no conversion).</summary>
    public byte[] ToBytes()
    {
        byte[]? gathered = null;
        byte[] result = ContiguousBytes(ref gathered).ToArray();
        Return(gathered);
        return result;
    }

    /// <summary>The values as float32 in C order (float64 is rounded to nearest; integers converted).</summary>
    public float[] ToFloat32()
    {
        var result = new float[ElementCount];
        CopyTo(result);
        return result;
    }

    /// <summary>Writes the values as float32 in C order into <paramref name="destination"/> (length ≥ <see cref="ElementCount"/>).</summary>
    public void CopyTo(Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, ElementCount);
        byte[]? gathered = null;
        ReadOnlySpan<byte> bytes = ContiguousBytes(ref gathered);
        Span<float> dst = destination[..ElementCount];
        switch (DType)
        {
            case TensorDType.Float32: MemoryMarshal.Cast<byte, float>(bytes).CopyTo(dst); break;
            case TensorDType.Float64: { var s = MemoryMarshal.Cast<byte, double>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = (float)s[i]; break; }
            // Vectorised widening; binary16 → binary32 is exact.
            case TensorDType.Float16: System.Numerics.Tensors.TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(bytes), dst); break;
            case TensorDType.BFloat16: { var s = MemoryMarshal.Cast<byte, ushort>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = BFloat16ToSingle(s[i]); break; }
            case TensorDType.Int64: { var s = MemoryMarshal.Cast<byte, long>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case TensorDType.Int32: { var s = MemoryMarshal.Cast<byte, int>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case TensorDType.Int16: { var s = MemoryMarshal.Cast<byte, short>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case TensorDType.Int8: { for (int i = 0; i < dst.Length; i++) dst[i] = (sbyte)bytes[i]; break; }
            default: { for (int i = 0; i < dst.Length; i++) dst[i] = bytes[i]; break; }
        }
        Return(gathered);
    }

    /// <summary>The values as float64 in C order (every stored type converts exactly).</summary>
    public double[] ToFloat64()
    {
        var dst = new double[ElementCount];
        byte[]? gathered = null;
        ReadOnlySpan<byte> bytes = ContiguousBytes(ref gathered);
        switch (DType)
        {
            case TensorDType.Float64: MemoryMarshal.Cast<byte, double>(bytes).CopyTo(dst); break;
            case TensorDType.Float32: { var s = MemoryMarshal.Cast<byte, float>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case TensorDType.Float16: { var s = MemoryMarshal.Cast<byte, Half>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = (double)s[i]; break; }
            case TensorDType.BFloat16: { var s = MemoryMarshal.Cast<byte, ushort>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = BFloat16ToSingle(s[i]); break; }
            default:
                {
                    long[] integers = IntegersFrom(bytes);
                    for (int i = 0; i < dst.Length; i++) dst[i] = integers[i];
                    break;
                }
        }
        Return(gathered);
        return dst;
    }

    /// <summary>The values as int64 in C order. Only integer and bool tensors convert; a float tensor throws.</summary>
    /// <exception cref="GenMetricsException">The tensor holds floating-point values.</exception>
    public long[] ToInt64()
    {
        if (DType.IsFloatingPoint())
        {
            throw new GenMetricsException($"checkpoint tensor '{Name}' is {DType}, not an integer tensor; read it with ToFloat32 or ToFloat64");
        }
        byte[]? gathered = null;
        long[] result = IntegersFrom(ContiguousBytes(ref gathered));
        Return(gathered);
        return result;
    }

    private long[] IntegersFrom(ReadOnlySpan<byte> bytes)
    {
        var dst = new long[ElementCount];
        switch (DType)
        {
            case TensorDType.Int64: MemoryMarshal.Cast<byte, long>(bytes).CopyTo(dst); break;
            case TensorDType.Int32: { var s = MemoryMarshal.Cast<byte, int>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case TensorDType.Int16: { var s = MemoryMarshal.Cast<byte, short>(bytes); for (int i = 0; i < dst.Length; i++) dst[i] = s[i]; break; }
            case TensorDType.Int8: { for (int i = 0; i < dst.Length; i++) dst[i] = (sbyte)bytes[i]; break; }
            default: { for (int i = 0; i < dst.Length; i++) dst[i] = bytes[i]; break; }
        }
        return dst;
    }

    /// <summary>bfloat16 is the top half of a binary32, so widening is a 16-bit shift (exact).</summary>
    private static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>
    /// The tensor's elements as contiguous C-order bytes: a slice of the storage when the view is
    /// contiguous, otherwise gathered element by element into a pooled buffer (returned in <paramref name="rented"/>).
    /// </summary>
    private ReadOnlySpan<byte> ContiguousBytes(ref byte[]? rented)
    {
        int size = DType.ElementSize();
        int byteCount = ElementCount * size;
        ReadOnlySpan<byte> storage = _storage.Span;
        if (ElementCount == 0) return [];
        if (IsContiguous) return storage.Slice(checked((int)(StorageOffset * size)), byteCount);

        rented = System.Buffers.ArrayPool<byte>.Shared.Rent(byteCount);
        Span<byte> dst = rented.AsSpan(0, byteCount);
        int rank = Shape.Length;
        int inner = Shape[rank - 1];
        long innerStride = Strides[rank - 1];
        Span<int> index = stackalloc int[rank];
        int written = 0;
        while (written < byteCount)
        {
            long element = StorageOffset;
            for (int d = 0; d < rank - 1; d++) element += index[d] * Strides[d];
            for (int i = 0; i < inner; i++, element += innerStride, written += size)
            {
                storage.Slice((int)(element * size), size).CopyTo(dst.Slice(written, size));
            }
            for (int d = rank - 2; d >= 0; d--)
            {
                if (++index[d] < Shape[d]) break;
                index[d] = 0;
            }
        }
        return dst;
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented);
    }

    /// <summary>Reverses the byte order of every element in place (big-endian checkpoints).</summary>
    internal static void SwapToLittleEndian(Span<byte> data, TensorDType dtype)
    {
        int size = dtype.ElementSize();
        if (size == 1) return;
        for (int i = 0; i + size <= data.Length; i += size) data.Slice(i, size).Reverse();
    }
}
