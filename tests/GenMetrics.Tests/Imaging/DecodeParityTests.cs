using GenMetrics.Checkpoints;
using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

/// <summary>Every images/odd fixture must decode pixel for pixel as Pillow 9.4's open().convert('RGB').</summary>
public sealed class DecodeParityTests
{
    public static TheoryData<string> OddFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Fixtures.Path("images", "odd")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(f));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OddFiles))]
    public void DecodesExactlyAsPillow(string file)
    {
        var image = ImageDecoder.Decode(Fixtures.Path("images", "odd", file));
        var golden = NpyFile.Read(Fixtures.Path("golden", "decode", Path.GetFileNameWithoutExtension(file) + ".npy"));
        Assert.Equal([image.Height, image.Width, 3], golden.Shape);
        // Tier: exact. Pillow's decode is the network input of every reference tool; no tolerance.
        int mismatches = 0, maxDiff = 0;
        for (int i = 0; i < golden.Data.Length; i++)
        {
            int d = Math.Abs(golden.Data[i] - image.Pixels[i]);
            if (d != 0) mismatches++;
            maxDiff = Math.Max(maxDiff, d);
        }
        Assert.True(mismatches == 0, $"{file}: {mismatches} of {golden.Data.Length} samples differ, max |diff| {maxDiff}");
    }
}
