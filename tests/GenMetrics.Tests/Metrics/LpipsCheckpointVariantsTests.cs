using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Tests.Imaging;

namespace GenMetrics.Tests.Metrics;

/// <summary>A full torchvision-style checkpoint (features + classifier keys) gives the same network as the features-only file.</summary>
public sealed class LpipsCheckpointVariantsTests
{
    [Fact]
    public void ClassifierKeysAreIgnoredAndSafetensorsWork()
    {
        using var dir = new ScratchFolder();
        StateDict features = CheckpointReader.Read(LpipsFixture.BackboneWeights(LpipsNetwork.Alex));
        var tensors = features.Values.Select(t => (t.Name, t.Shape, Values: t.ToFloat32())).ToList();
        // Stand-ins for torchvision's classifier.{1,4,6}.{weight,bias}; LPIPS never reads them.
        tensors.Add(("classifier.1.weight", [4, 9], new float[36]));
        tensors.Add(("classifier.1.bias", [4], new float[4]));
        string path = dir.File("alexnet-full.safetensors");
        WriteSafetensors(path, tensors);

        using var full = new Lpips(new LpipsOptions { Network = LpipsNetwork.Alex, BackboneWeightsPath = path, Threads = 2 });
        var pairs = LpipsFixture.MeasurablePairs(LpipsNetwork.Alex).Take(2).Select(LpipsFixture.Pair).ToList();
        Assert.Equal(
            LpipsFixture.Network(LpipsNetwork.Alex).Compute(pairs).Select(r => r.Value),
            full.Compute(pairs).Select(r => r.Value));
    }

    [Fact]
    public void ConcurrentCallsGiveTheSameResults()
    {
        Lpips lpips = LpipsFixture.Network(LpipsNetwork.Squeeze);
        var pairs = LpipsFixture.MeasurablePairs(LpipsNetwork.Squeeze).Take(4).Select(LpipsFixture.Pair).ToList();
        float[] expected = [.. lpips.Compute(pairs).Select(r => r.Value)];
        var results = new float[4][];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            results[i] = [.. lpips.Compute(pairs).Select(r => r.Value)]);
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    /// <summary>safetensors: u64 LE header length, JSON header {name: {dtype, shape, data_offsets}}, then the F32 data.</summary>
    private static void WriteSafetensors(string path, IReadOnlyList<(string Name, int[] Shape, float[] Values)> tensors)
    {
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (name, shape, values) in tensors)
        {
            long end = offset + 4L * values.Length;
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { offset, end } };
            offset = end;
        }
        byte[] json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)json.Length);
        file.Write(length);
        file.Write(json);
        foreach (var (_, _, values) in tensors) file.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
