using System.Buffers.Binary;
using System.Text.Json;

namespace GenMetrics.Checkpoints;

/// <summary>
/// Reads <c>.safetensors</c>: an 8-byte little-endian header length N, N bytes of JSON
/// (<c>{"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}</c>),
/// then the data; offsets are relative to the end of the header. Tensors are contiguous, little-endian.
/// </summary>
internal static class SafetensorsFile
{
    private const long MaxHeaderBytes = 100L << 20;

    /// <summary>Reads from a seekable stream positioned at the start of the file; <paramref name="name"/> becomes <see cref="StateDict.SourcePath"/>.</summary>
    public static StateDict Read(Stream file, string name)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        file.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)Math.Min(MaxHeaderBytes, file.Length - 8)) throw new EndOfStreamException();
        var header = new byte[(int)headerLength];
        file.ReadExactly(header);
        long dataLength = file.Length - 8 - (long)headerLength;
        if (dataLength > Array.MaxLength) throw new CheckpointFormatException("the data section is larger than 2 GB", "split the file into shards");
        var data = GC.AllocateUninitializedArray<byte>((int)dataLength);
        file.ReadExactly(data);

        var tensors = new List<CheckpointTensor>();
        using var json = JsonDocument.Parse(header);
        if (json.RootElement.ValueKind != JsonValueKind.Object) throw new CheckpointFormatException("the safetensors header is not a JSON object");
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Name == "__metadata__") continue;
            tensors.Add(ParseTensor(property.Name, property.Value, data));
        }
        return new StateDict(name, CheckpointFormat.Safetensors, tensors);
    }

    private static CheckpointTensor ParseTensor(string name, JsonElement info, byte[] data)
    {
        if (info.ValueKind != JsonValueKind.Object
            || !info.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String
            || !info.TryGetProperty("shape", out var shapeElement) || shapeElement.ValueKind != JsonValueKind.Array
            || !info.TryGetProperty("data_offsets", out var offsetsElement) || offsetsElement.ValueKind != JsonValueKind.Array
            || offsetsElement.GetArrayLength() != 2)
        {
            throw new CheckpointFormatException($"the header entry of tensor '{name}' lacks dtype, shape or data_offsets");
        }
        string dtypeName = dtypeElement.GetString()!;
        var dtype = TensorDTypeFacts.FromSafetensorsName(dtypeName)
            ?? throw new CheckpointFormatException($"tensor '{name}' has dtype {dtypeName}, which GenMetrics does not read",
                "convert it to F32, F16, BF16, F64 or an integer type");
        int[] shape = shapeElement.EnumerateArray().Select(e => e.GetInt32()).ToArray();
        long begin = offsetsElement[0].GetInt64();
        long end = offsetsElement[1].GetInt64();
        long count = 1;
        foreach (int d in shape) count = checked(count * d);
        if (begin < 0 || end < begin || end > data.Length || end - begin != count * dtype.ElementSize())
        {
            throw new CheckpointFormatException($"tensor '{name}' has data_offsets [{begin}, {end}] that do not fit its shape or the file");
        }
        var strides = new long[shape.Length];
        long stride = 1;
        for (int d = shape.Length - 1; d >= 0; d--)
        {
            strides[d] = stride;
            stride *= shape[d];
        }
        return new CheckpointTensor(name, dtype, shape, strides, 0, data.AsMemory((int)begin, (int)(end - begin)));
    }
}
