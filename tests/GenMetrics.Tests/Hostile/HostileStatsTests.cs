using System.Buffers.Binary;
using System.Text;
using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Hostile;

/// <summary>Crafted statistics and .npy files given to the CLI: one line naming the file, exit 1.</summary>
public sealed class HostileStatsTests
{
    private static string WriteStats(TempDirectory dir, string name, double[] sigma, NpyArray? n)
    {
        string path = dir.Path(name);
        var arrays = new List<KeyValuePair<string, NpyArray>>
        {
            new("mu", NpyArray.FromFloat64(new double[2], 2)),
            new("sigma", NpyArray.FromFloat64(sigma, 2, 2)),
        };
        if (n is not null) arrays.Add(new("n", n));
        NpzFile.Write(path, arrays);
        return path;
    }

    [Fact]
    public void EmptyCountIsRefused()
    {
        using var dir = new TempDirectory();
        string bad = WriteStats(dir, "bad.npz", [1, 0, 0, 1], NpyArray.FromInt64([], 0));
        string good = WriteStats(dir, "good.npz", [1, 0, 0, 1], NpyArray.FromInt64([10], 1));
        var r = CliRunner.Run("fid", bad, good, "--quiet");
        CliAssert.OneLineError(r, bad);
        Assert.Contains(" n ", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void NegativeEigenvalueIsRefusedWithItsValueAndDimension()
    {
        using var dir = new TempDirectory();
        string bad = WriteStats(dir, "bad.npz", [1, 2, 2, 1], null); // eigenvalues 3 and -1
        string good = WriteStats(dir, "good.npz", [1, 0, 0, 1], null);
        var r = CliRunner.Run("fid", good, bad, "--quiet");
        CliAssert.OneLineError(r, bad);
        Assert.Contains("eigenvalue -1", r.Error, StringComparison.Ordinal);
        Assert.Contains("dimension 2", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AsymmetricSigmaIsRefused()
    {
        using var dir = new TempDirectory();
        string bad = WriteStats(dir, "bad.npz", [1, 0.5, 0, 1], null);
        string good = WriteStats(dir, "good.npz", [1, 0, 0, 1], null);
        var r = CliRunner.Run("fid", good, bad, "--quiet");
        CliAssert.OneLineError(r, bad);
        Assert.Contains("not symmetric", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void NpyVersion2HeaderWithHugeLengthIsOneLine()
    {
        using var dir = new TempDirectory();
        string path = dir.Path("huge.npy");
        var bytes = new List<byte>();
        bytes.AddRange([0x93, .. Encoding.ASCII.GetBytes("NUMPY"), 2, 0]);
        var len = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(len, 0xFFFF_FFF0);
        bytes.AddRange(len);
        bytes.AddRange(Encoding.ASCII.GetBytes("{'descr': '<f4', "));
        File.WriteAllBytes(path, [.. bytes]);
        var e = Assert.Throws<GenMetricsException>(() => NpyFile.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains("header", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LogitsThatAreNot1008WideAreRefused()
    {
        using var dir = new TempDirectory();
        string path = dir.Path("logits1000.npy");
        var values = new float[20 * 1000];
        for (int i = 0; i < values.Length; i++) values[i] = (i % 7) * 0.1f;
        NpyFile.Write(path, NpyArray.FromFloat32(values, 20, 1000));
        var r = CliRunner.Run("is", path, "--splits", "2", "--quiet");
        CliAssert.OneLineError(r, path);
        Assert.Contains("1008", r.Error, StringComparison.Ordinal);
    }
}
