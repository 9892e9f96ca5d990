using System.Diagnostics;
using System.IO.Compression;
using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Hostile;

/// <summary>
/// A 20 MB uncompressed (stored) data.pkl of 10⁷ empty lists appended to one another: refused by the pickle
/// machine's object limit quickly and with bounded memory, as one line naming the file.
/// </summary>
public sealed class HostilePickleObjectCountTests
{
    /// <summary>Bound on everything the refusal allocates (the 20 MB member read whole plus ~2²⁰ small lists).</summary>
    private const long AllocationBound = 500L << 20;

    private static string WriteEmptyContainerBomb(TempDirectory dir)
    {
        string path = dir.Path("containers.pth");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var s = zip.CreateEntry("containers/data.pkl", CompressionLevel.NoCompression).Open();
        s.Write([0x80, 2, (byte)']']); // PROTO 2, EMPTY_LIST
        var chunk = new byte[1 << 20];
        for (int i = 0; i < chunk.Length; i += 2)
        {
            chunk[i] = (byte)']';     // EMPTY_LIST
            chunk[i + 1] = (byte)'a'; // APPEND it to the list below
        }
        for (int i = 0; i < 20; i++) s.Write(chunk);
        s.Write([(byte)'.']);
        return path;
    }

    [Fact]
    public void PickleOfManyEmptyContainersIsRefusedWithBoundedMemory()
    {
        using var dir = new TempDirectory();
        string path = WriteEmptyContainerBomb(dir);
        Assert.True(new FileInfo(path).Length > 20L << 20, "the member should be stored uncompressed");
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
        watch.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("objects", e.Message, StringComparison.Ordinal);
        Assert.True(allocated < AllocationBound, $"refusing the pickle allocated {allocated >> 20} MiB (bound {AllocationBound >> 20} MiB)");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"refusing the pickle took {watch.Elapsed}");
    }

    [Fact]
    public void CliRefusesItInOneLine()
    {
        using var dir = new TempDirectory();
        string path = WriteEmptyContainerBomb(dir);
        var r = CliRunner.Run("weights", "--inspect", path);
        CliAssert.OneLineError(r, path);
    }
}
