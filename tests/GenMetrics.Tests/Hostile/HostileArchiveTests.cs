using System.Diagnostics;
using System.IO.Compression;
using GenMetrics.Checkpoints;
using GenMetrics.Imaging;

namespace GenMetrics.Tests.Hostile;

/// <summary>Crafted archives: a zip-bomb data.pkl and a corrupt central directory, each one error naming the file.</summary>
public sealed class HostileArchiveTests
{
    [Fact]
    public void CheckpointWhosePickleInflatesToHundredsOfMegabytesIsRefusedQuickly()
    {
        using var dir = new TempDirectory();
        string path = dir.Path("bomb.pth");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var s = zip.CreateEntry("bomb/data.pkl", CompressionLevel.Fastest).Open();
            var zeros = new byte[1 << 20];
            for (int i = 0; i < 300; i++) s.Write(zeros);
        }
        Assert.True(new FileInfo(path).Length < 4 << 20, "the crafted archive should be small");
        long before = GC.GetTotalAllocatedBytes();
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
        watch.Stop();
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("data.pkl", e.Message, StringComparison.Ordinal);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 64L << 20, "refusing the bomb allocated too much");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"refusing the bomb took {watch.Elapsed}");
    }

    [Fact]
    public void ImageArchiveWithCorruptCentralDirectoryIsOneError()
    {
        using var dir = new TempDirectory();
        string path = dir.Path("images.zip");
        using (var zip = ZipFile.Open(path, ZipArchiveMode.Create))
        {
            using var s = zip.CreateEntry("a.png").Open();
            s.Write(new byte[100]);
        }
        byte[] bytes = File.ReadAllBytes(path);
        int eocd = bytes.AsSpan().LastIndexOf("PK\u0005\u0006"u8);
        Assert.True(eocd > 0);
        // Point the central directory offset past the end of the file.
        BitConverter.TryWriteBytes(bytes.AsSpan(eocd + 16, 4), 0x7FFF_0000);
        File.WriteAllBytes(path, bytes);
        var r = CliRunner.Run("features", path, "--out", dir.Path("f.npy"), "--quiet");
        Assert.Equal(1, r.ExitCode);
        string[] lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(path, lines[0], StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Path("f.npy")));
        _ = typeof(ImageSource);
    }
}
