using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Checkpoints;

public sealed class NpyFileTests
{
    [Fact]
    public void ReadsGoldenFloat32Matrix()
    {
        var a = NpyFile.Read(Fixtures.Path("golden", "fid", "features_set_a_d64.npy"));
        Assert.Equal(2, a.Shape.Length);
        Assert.Equal(64, a.Shape[1]);
        Assert.Equal(a.ElementCount, a.ToFloat64().Length);
    }

    [Fact]
    public void ReadsGoldenUInt8Image()
    {
        var a = NpyFile.Read(Fixtures.Path("golden", "decode", "tiny_1x1.npy"));
        Assert.Equal("u1", a.Dtype);
        Assert.Equal([1, 1, 3], a.Shape);
    }

    [Fact]
    public void RoundTripsThroughNpyAndNpz()
    {
        string dir = Directory.CreateTempSubdirectory("gm-npy").FullName;
        try
        {
            double[] values = [1.5, -2.25, double.MaxValue, 0, 1e-300, 7];
            var array = NpyArray.FromFloat64(values, 2, 3);
            string npy = Path.Combine(dir, "a.npy");
            NpyFile.Write(npy, array);
            Assert.Equal(values, NpyFile.Read(npy).ToFloat64());

            string npz = Path.Combine(dir, "s.npz");
            NpzFile.Write(npz, [new("mu", NpyArray.FromFloat32([1f, 2f], 2)), new("sigma", array)], compress: true);
            var read = NpzFile.Read(npz);
            Assert.Equal([1.0, 2.0], read["mu"].ToFloat64());
            Assert.Equal([2, 3], read["sigma"].Shape);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void ReadsPytorchFidStatsNpz()
    {
        var stats = NpzFile.Read(Fixtures.Path("golden", "fid", "stats_set_a_d64.npz"));
        Assert.Equal([64], stats["mu"].Shape);
        Assert.Equal([64, 64], stats["sigma"].Shape);
    }

    [Fact]
    public void RejectsTruncatedFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            byte[] full = File.ReadAllBytes(Fixtures.Path("golden", "fid", "mu_set_a_d64.npy"));
            File.WriteAllBytes(path, full[..(full.Length - 10)]);
            var e = Assert.Throws<GenMetricsException>(() => NpyFile.Read(path));
            Assert.Contains("truncated", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
