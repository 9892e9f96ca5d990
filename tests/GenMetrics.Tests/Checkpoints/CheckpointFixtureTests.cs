using System.Diagnostics;
using System.Text.Json;
using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Checkpoints;

/// <summary>Every weights fixture loads, with the values, shapes and layouts torch.load gives.</summary>
public sealed class CheckpointFixtureTests
{
    private static readonly Lazy<JsonElement> Manifest = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path("weights", "weights_manifest.json"))).RootElement);

    public static TheoryData<string> FormatFiles => new() { "format_zip_small.pth", "format_legacy_small.pth" };

    [Theory]
    [MemberData(nameof(FormatFiles))]
    public void FormatFixtureEqualsGoldenBitExactly(string file)
    {
        var state = CheckpointReader.Read(Fixtures.Path("weights", file));
        var expected = Manifest.Value.GetProperty("format_small");
        var goldenKeys = expected.EnumerateObject().Where(p => !p.Name.StartsWith('_')).Select(p => p.Name).ToList();
        Assert.Equal(goldenKeys, state.Keys);
        foreach (string key in goldenKeys)
        {
            var facts = expected.GetProperty(key);
            var tensor = state[key];
            var golden = NpyFile.Read(Fixtures.Path("golden", "format_small", key + ".npy"));
            Assert.Equal(Ints(facts.GetProperty("shape")), tensor.Shape);
            Assert.Equal(golden.Shape, tensor.Shape);
            Assert.Equal(Ints(facts.GetProperty("stride")).Select(i => (long)i), tensor.Strides);
            Assert.Equal(facts.GetProperty("storage_offset").GetInt64(), tensor.StorageOffset);
            Assert.Equal(facts.GetProperty("is_contiguous").GetBoolean(), tensor.IsContiguous);
            Assert.Equal(facts.GetProperty("dtype").GetString(), TorchName(tensor.DType));
            // Parity tier: bit-exact (a reader copies bytes; any difference is a bug).
            if (tensor.DType == TensorDType.BFloat16)
            {
                Assert.Equal(golden.Data, System.Runtime.InteropServices.MemoryMarshal.AsBytes(tensor.ToFloat32().AsSpan()).ToArray());
            }
            else
            {
                Assert.Equal(golden.Data, tensor.ToBytes());
            }
        }
        Assert.Equal(CheckpointFormat.TorchZip == state.Format, file.Contains("zip", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(FormatFiles))]
    public void StreamsReadLikeFilesEvenWhenNotSeekable(string file)
    {
        byte[] bytes = File.ReadAllBytes(Fixtures.Path("weights", file));
        var fromFile = CheckpointReader.Read(Fixtures.Path("weights", file));
        using var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }
        compressed.Position = 0;
        using var notSeekable = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
        var fromStream = CheckpointReader.Read(notSeekable, "embedded:" + file);
        Assert.Equal("embedded:" + file, fromStream.SourcePath);
        Assert.Equal(fromFile.Keys, fromStream.Keys);
        foreach (string key in fromFile.Keys) Assert.Equal(fromFile[key].ToBytes(), fromStream[key].ToBytes());

        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(new MemoryStream(bytes[..(bytes.Length / 2)]), "embedded:half"));
        Assert.StartsWith("embedded:half: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TransposedAndOffsetViewsResolveAgainstTheSharedStorage()
    {
        var state = CheckpointReader.Read(Fixtures.Path("weights", "format_legacy_small.pth"));
        float[] baseValues = state["base"].ToFloat32();   // 4x5
        float[] transposed = state["transposed"].ToFloat32(); // 5x4
        float[] slice = state["slice_offset"].ToFloat32();   // base[1:, 2:]
        for (int r = 0; r < 4; r++)
        {
            for (int c = 0; c < 5; c++) Assert.Equal(baseValues[r * 5 + c], transposed[c * 4 + r]);
        }
        for (int r = 0; r < 3; r++)
        {
            for (int c = 0; c < 3; c++) Assert.Equal(baseValues[(r + 1) * 5 + c + 2], slice[r * 3 + c]);
        }
        Assert.Empty(state["empty"].ToFloat32());
        Assert.Single(state["scalar_i64"].ToInt64());
        Assert.Equal(state["f64"].ToFloat64().Select(v => (float)v), state["f64"].ToFloat32());
    }

    [Fact]
    public void FidInceptionLoadsFastWithAllKeys()
    {
        string path = Fixtures.Path("weights", "fid_inception.pth");
        var watch = Stopwatch.StartNew();
        var state = CheckpointReader.Read(path);
        watch.Stop();
        var facts = Manifest.Value.GetProperty("fid_inception.pth").GetProperty("calibration");
        Assert.Equal(facts.GetProperty("n_keys").GetInt32(), state.Count);
        Assert.Equal(facts.GetProperty("n_values").GetInt64(), state.Values.Sum(t => (long)t.ElementCount));
        Assert.Equal(CheckpointFormat.TorchLegacy, state.Format);
        Assert.Equal("Conv2d_1a_3x3.conv.weight", state.Keys.First());
        Assert.Equal([32, 3, 3, 3], state["Conv2d_1a_3x3.conv.weight"].Shape);
        Assert.Equal([1008, 2048], state.Require("fc.weight", 1008, 2048).Shape);
        var tracked = state["Conv2d_1a_3x3.bn.num_batches_tracked"];
        Assert.Equal(TensorDType.Int64, tracked.DType);
        Assert.Empty(tracked.Shape);
        Assert.Single(tracked.ToInt64());
        Assert.Equal(94, state.Keys.Count(k => k.EndsWith(".num_batches_tracked", StringComparison.Ordinal)));
        Assert.All(state.Values.Where(t => t.DType == TensorDType.Float32), t => Assert.True(t.IsContiguous));
        // The brief asks for < 1 s; the bound here leaves room for a loaded 2-core CI machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"reading fid_inception.pth took {watch.Elapsed.TotalMilliseconds:F0} ms");
    }

    public static TheoryData<string> BackboneFiles => new() { "alexnet_features.pth", "squeezenet1_1_features.pth", "vgg16_features.pth" };

    [Theory]
    [MemberData(nameof(BackboneFiles))]
    public void LpipsBackboneMatchesManifest(string file)
    {
        var facts = Manifest.Value.GetProperty("lpips_backbones").GetProperty(file);
        var state = CheckpointReader.Read(Fixtures.Path("weights", file));
        var expected = facts.GetProperty("keys").EnumerateObject().Select(p => new KeyValuePair<string, int[]>(p.Name, Ints(p.Value))).ToList();
        Assert.Equal(facts.GetProperty("n_keys").GetInt32(), state.Count);
        Assert.Equal(expected.Select(e => e.Key), state.Keys);
        state.Validate(expected, file, allowExtraKeys: false);
        Assert.Equal(facts.GetProperty("serialization").GetString() == "zip" ? CheckpointFormat.TorchZip : CheckpointFormat.TorchLegacy, state.Format);
        Assert.All(state.Values, t => Assert.Equal(facts.GetProperty("dtype").GetString(), TorchName(t.DType)));
        Assert.All(state.Values, t => Assert.All(t.ToFloat32(), v => Assert.True(float.IsFinite(v))));
    }

    public static TheoryData<string> LinFiles => new() { "alex.pth", "vgg.pth", "squeeze.pth" };

    [Theory]
    [MemberData(nameof(LinFiles))]
    public void LpipsLinearWeightsSavedOnCudaLoad(string file)
    {
        var facts = Manifest.Value.GetProperty("lpips_v0.1").GetProperty(file);
        var state = CheckpointReader.Read(Fixtures.Path("weights", "lpips_v0.1", file));
        var expected = facts.EnumerateObject().Select(p => new KeyValuePair<string, int[]>(p.Name, Ints(p.Value))).ToList();
        Assert.Equal(expected.Select(e => e.Key), state.Keys);
        state.Validate(expected, "LPIPS " + file, allowExtraKeys: false);
        // The real v0.1 lin weights are non-negative (REFERENCES.md §2.11).
        Assert.All(state.Values, t => Assert.All(t.ToFloat32(), v => Assert.True(v >= 0)));
    }

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static string TorchName(TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "float32",
        TensorDType.Float64 => "float64",
        TensorDType.Float16 => "float16",
        TensorDType.BFloat16 => "bfloat16",
        TensorDType.Int64 => "int64",
        TensorDType.Int32 => "int32",
        TensorDType.Int16 => "int16",
        TensorDType.Int8 => "int8",
        TensorDType.UInt8 => "uint8",
        _ => "bool",
    };
}
