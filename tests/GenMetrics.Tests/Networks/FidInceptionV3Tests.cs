using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Networks;
using static GenMetrics.Tests.Features.InceptionFeatures;

namespace GenMetrics.Tests.Networks;

public sealed class FidInceptionV3Tests
{
    [Fact]
    public void ExpectedTensorsAreTheFloatKeysOfThePytorchFidStateDict()
    {
        var expected = FidInceptionV3.ExpectedTensors();
        // 566 keys in the published file = 94 BasicConv2d × (conv.weight + 4 BN tensors + num_batches_tracked) + fc.weight + fc.bias;
        // num_batches_tracked is optional (torch-fidelity's converter omits it), so it is not expected.
        Assert.Equal(94 * 5 + 2, expected.Count);
        Assert.DoesNotContain(expected, t => t.Name.EndsWith("num_batches_tracked", StringComparison.Ordinal));
        Assert.Equal(23885486 - 94, expected.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b)));
        StateDict weights = CheckpointReader.Read(WeightsPath);
        Assert.Equal(566, weights.Count);
        Assert.Equal(expected.Select(t => t.Name), weights.Keys.Where(k => !k.EndsWith("num_batches_tracked", StringComparison.Ordinal)));
    }

    [Fact]
    public void WeightsWithoutNumBatchesTrackedGiveTheSameFeatures()
    {
        // torch-fidelity's converter writes no num_batches_tracked keys; write such a file (as safetensors) and compare.
        using var temp = new TempDirectory();
        string path = temp.Path("fid_inception_no_nbt.safetensors");
        WriteSafetensors(path, CheckpointReader.Read(WeightsPath).Where(p => !p.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)));
        using var extractor = new FeatureExtractor(new FeatureExtractorOptions { WeightsPath = path, Threads = 2 });
        var decoded = NpyFile.Read(Fixtures.Path("golden", "decode", "small_odd.npy"));
        var input = new float[3 * 299 * 299];
        KnownProtocols.PytorchFid.Prepare(decoded.Data, decoded.Shape[1], decoded.Shape[0], input);
        float[] actual = extractor.ExtractPrepared([input])[FidInceptionLayer.Pool3].Values;
        float[] reference = For(KnownProtocols.PytorchFid).ExtractPrepared([input])[FidInceptionLayer.Pool3].Values;
        Assert.Equal(reference, actual);
    }

    private static void WriteSafetensors(string path, IEnumerable<KeyValuePair<string, CheckpointTensor>> tensors)
    {
        var header = new StringBuilder("{");
        var blobs = new List<float[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            float[] values = tensor.ToFloat32();
            long end = offset + values.Length * 4L;
            header.Append($"\"{name}\":{{\"dtype\":\"F32\",\"shape\":[{string.Join(",", tensor.Shape)}],\"data_offsets\":[{offset},{end}]}},");
            blobs.Add(values);
            offset = end;
        }
        header.Length--;
        header.Append('}');
        byte[] headerBytes = Encoding.UTF8.GetBytes(header.ToString());
        using var file = File.Create(path);
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
        file.Write(length);
        file.Write(headerBytes);
        foreach (float[] blob in blobs)
        {
            file.Write(MemoryMarshal.AsBytes(blob.AsSpan()));
        }
    }
}
