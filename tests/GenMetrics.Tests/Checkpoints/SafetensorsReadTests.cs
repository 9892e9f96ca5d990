using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Checkpoints;

/// <summary>safetensors files written here byte by byte (no fixture exists) read back exactly.</summary>
public sealed class SafetensorsReadTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private sealed record Entry(string Name, string DType, int[] Shape, byte[] Data);

    private static string Write(string path, IEnumerable<Entry> entries, string? headerOverride = null)
    {
        var header = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        var data = new List<byte>();
        foreach (var e in entries)
        {
            header.Append(System.Globalization.CultureInfo.InvariantCulture,
                $",\"{e.Name}\":{{\"dtype\":\"{e.DType}\",\"shape\":[{string.Join(",", e.Shape)}],\"data_offsets\":[{data.Count},{data.Count + e.Data.Length}]}}");
            data.AddRange(e.Data);
        }
        header.Append('}');
        byte[] json = Encoding.UTF8.GetBytes(headerOverride ?? header.ToString());
        int padded = (json.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded + data.Count];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)padded);
        json.CopyTo(bytes, 8);
        for (int i = json.Length; i < padded; i++) bytes[8 + i] = (byte)' ';
        data.CopyTo(bytes, 8 + padded);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Bytes<T>(params T[] values) where T : struct => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Fact]
    public void EveryDTypeReadsBack()
    {
        float[] f32 = [1.5f, -2.25f, float.MaxValue, 0f, -0f, 3e-39f];
        Half[] f16 = [(Half)1.5, (Half)(-65504), Half.Epsilon, (Half)0.1];
        ushort[] bf16 = [0x3fc0, 0xc010, 0x7f80]; // 1.5, -2.25, +inf
        double[] f64 = [Math.PI, -1e300];
        long[] i64 = [long.MinValue, 7];
        int[] i32 = [-5, int.MaxValue];
        short[] i16 = [-300, 300];
        sbyte[] i8 = [-128, 127];
        byte[] u8 = [0, 200, 255];
        byte[] flags = [1, 0];
        string path = Write(_temp.Path("all.safetensors"),
        [
            new("f32", "F32", [2, 3], Bytes(f32)),
            new("f16", "F16", [4], Bytes(f16)),
            new("bf16", "BF16", [3], Bytes(bf16)),
            new("f64", "F64", [2], Bytes(f64)),
            new("i64", "I64", [2], Bytes(i64)),
            new("i32", "I32", [1, 2], Bytes(i32)),
            new("i16", "I16", [2], Bytes(i16)),
            new("i8", "I8", [2], Bytes(i8)),
            new("u8", "U8", [3], u8),
            new("bool", "BOOL", [2], flags),
            new("scalar", "F32", [], Bytes(42f)),
            new("empty", "F32", [0, 3], []),
        ]);

        var state = CheckpointReader.Read(path);
        Assert.Equal(CheckpointFormat.Safetensors, state.Format);
        Assert.Equal(["f32", "f16", "bf16", "f64", "i64", "i32", "i16", "i8", "u8", "bool", "scalar", "empty"], state.Keys);
        Assert.Equal(f32, state["f32"].ToFloat32());
        Assert.Equal([2, 3], state["f32"].Shape);
        Assert.Equal(f16.Select(h => (float)h), state["f16"].ToFloat32());
        Assert.Equal([1.5f, -2.25f, float.PositiveInfinity], state["bf16"].ToFloat32());
        Assert.Equal(TensorDType.BFloat16, state["bf16"].DType);
        Assert.Equal(f64, state["f64"].ToFloat64());
        Assert.Equal(i64, state["i64"].ToInt64());
        Assert.Equal(i32.Select(v => (long)v), state["i32"].ToInt64());
        Assert.Equal(i16.Select(v => (long)v), state["i16"].ToInt64());
        Assert.Equal(i8.Select(v => (long)v), state["i8"].ToInt64());
        Assert.Equal(u8.Select(v => (long)v), state["u8"].ToInt64());
        Assert.Equal([1L, 0L], state["bool"].ToInt64());
        Assert.Equal(TensorDType.Bool, state["bool"].DType);
        Assert.Equal([42f], state["scalar"].ToFloat32());
        Assert.Empty(state["scalar"].Shape);
        Assert.Empty(state["empty"].ToFloat32());
        Assert.Equal(Bytes(f16), state["f16"].ToBytes());
    }

    [Fact]
    public void DamagedSafetensorsFailCleanly()
    {
        var good = new Entry("w", "F32", [2], Bytes(1f, 2f));
        string overflow = Write(_temp.Path("overflow.safetensors"), [good],
            "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}");
        Assert.Contains("data_offsets", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(overflow)).Message, StringComparison.Ordinal);

        string fp8 = Write(_temp.Path("fp8.safetensors"), [new("w", "F8_E4M3", [2], [1, 2])]);
        Assert.Contains("F8_E4M3", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(fp8)).Message, StringComparison.Ordinal);

        string badJson = Write(_temp.Path("json.safetensors"), [good], "{\"w\": [1,");
        Assert.Contains("not valid JSON", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(badJson)).Message, StringComparison.Ordinal);

        string missingField = Write(_temp.Path("field.safetensors"), [good], "{\"w\":{\"dtype\":\"F32\"}}");
        Assert.Contains("lacks dtype", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(missingField)).Message, StringComparison.Ordinal);

        string full = Write(_temp.Path("cut.safetensors"), [good]);
        byte[] bytes = File.ReadAllBytes(full);
        string cut = _temp.Path("cut2.safetensors");
        for (int length = 9; length < bytes.Length; length++)
        {
            File.WriteAllBytes(cut, bytes[..length]);
            Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(cut));
        }
    }
}
