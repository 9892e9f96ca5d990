using GenMetrics.Imaging;
using GenMetrics.Checkpoints;
using GenMetrics.Cli.Commands;

namespace GenMetrics.Tests.Cli;

public sealed class ShardTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("genmetrics-shard-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData(64, 1)]
    [InlineData(64, 3)]
    [InlineData(64, 4)]
    public void ContiguousBlocksCoverEveryImageOnce(int n, int count)
    {
        int next = 0;
        for (int i = 0; i < count; i++)
        {
            var (start, end) = new ImageShard(i, count).Range(n);
            Assert.Equal(next, start);
            next = end;
        }
        Assert.Equal(n, next);
    }

    private string Shard(string name, int index, int count, int total, string fingerprint = "aaaaaaaaaaaaaaaa")
    {
        var (start, end) = new ImageShard(index, count).Range(total);
        string path = Path.Combine(_folder, name);
        var values = new float[(end - start) * 3];
        for (int r = 0; r < end - start; r++) values[r * 3] = start + r;
        NpyFile.Write(path, NpyArray.FromFloat32(values, end - start, 3));
        new ShardInfo("features", index, count, start, end, total, fingerprint, "pytorch-fid", "pool3", "bbbbbbbbbbbbbbbb").Write(path);
        return path;
    }

    [Fact]
    public void MergeFeaturesRestoresOrderFromShardMetadata()
    {
        string[] parts = [Shard("s2.npy", 2, 3, 10), Shard("s0.npy", 0, 3, 10), Shard("s1.npy", 1, 3, 10)];
        string output = Path.Combine(_folder, "all.npy");
        var result = CliRunner.Run(["merge-features", .. parts, "-o", output]);
        Assert.True(result.ExitCode == 0, result.Error);
        float[] merged = NpyFile.Read(output).ToFloat32();
        for (int r = 0; r < 10; r++) Assert.Equal(r, merged[r * 3]);
    }

    [Fact]
    public void MissingDuplicateAndForeignShardsAreOneLineErrors()
    {
        string a = Shard("a0.npy", 0, 3, 10), b = Shard("a1.npy", 1, 3, 10), c = Shard("a2.npy", 2, 3, 10);
        string foreign = Shard("f2.npy", 2, 3, 10, "cccccccccccccccc");
        string output = Path.Combine(_folder, "out.npy");
        foreach (string[] inputs in new[] { new[] { a, b }, new[] { a, b, b, c }, new[] { a, b, foreign } })
        {
            var result = CliRunner.Run(["merge-features", .. inputs, "-o", output]);
            Assert.Equal(1, result.ExitCode);
            Assert.Single(result.Error.Trim().Split('\n'));
            Assert.False(File.Exists(output));
        }
    }
}
