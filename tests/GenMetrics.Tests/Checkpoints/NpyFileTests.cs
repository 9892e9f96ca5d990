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

/// <summary>Layouts the skeleton tests do not cover (Fortran order, big-endian, v2 header) and damaged files.</summary>
public sealed class NpyLayoutTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static byte[] NpyBytes(string dict, byte[] data, int major = 1)
    {
        string header = dict;
        int prefix = 6 + 2 + (major == 1 ? 2 : 4);
        int padding = (64 - (prefix + header.Length + 1) % 64) % 64;
        header += new string(' ', padding) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 };
        if (major == 1) bytes.AddRange(BitConverter.GetBytes((ushort)header.Length));
        else bytes.AddRange(BitConverter.GetBytes(header.Length));
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    [Fact]
    public void FortranOrderIsTransposedToC()
    {
        // numpy.asfortranarray([[1, 2, 3], [4, 5, 6]], dtype='<f8') stores 1, 4, 2, 5, 3, 6.
        double[] fortran = [1, 4, 2, 5, 3, 6];
        byte[] data = System.Runtime.InteropServices.MemoryMarshal.AsBytes(fortran.AsSpan()).ToArray();
        string path = _temp.Path("f.npy");
        File.WriteAllBytes(path, NpyBytes("{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }", data));
        var a = NpyFile.Read(path);
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], a.ToFloat64());
    }

    [Fact]
    public void BigEndianAndVersion2HeadersRead()
    {
        byte[] data = [0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe]; // >i4: 1, -2
        string path = _temp.Path("be.npy");
        File.WriteAllBytes(path, NpyBytes("{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }", data, major: 2));
        Assert.Equal([1L, -2L], NpyFile.Read(path).ToInt64());
    }

    [Fact]
    public void DamagedFilesFailWithOneLine()
    {
        byte[] good = File.ReadAllBytes(Fixtures.Path("golden", "fid", "mu_set_a_d64.npy"));
        string path = _temp.Path("damaged.npy");
        for (int length = 0; length < 140; length++)
        {
            File.WriteAllBytes(path, good[..length]);
            Assert.Throws<GenMetricsException>(() => NpyFile.Read(path));
        }
        foreach (string dict in new[]
        {
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (-2,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (4000000, 4000000), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape': (2,",
            "{'descr': '|O', 'fortran_order': False, 'shape': (2,), }",
            "{'descr': '<f8', 'fortran_order': False, 'shape':",
        })
        {
            File.WriteAllBytes(path, NpyBytes(dict, new byte[16]));
            var e = Assert.Throws<GenMetricsException>(() => NpyFile.Read(path));
            Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        }
        Assert.Contains("file not found", Assert.Throws<GenMetricsException>(() => NpyFile.Read(_temp.Root)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteReplacesAtomically()
    {
        string path = _temp.Path("out.npy");
        NpyFile.Write(path, NpyArray.FromFloat32([1f, 2f], 2));
        NpyFile.Write(path, NpyArray.FromInt64([3L], 1));
        Assert.Equal([3L], NpyFile.Read(path).ToInt64());
        Assert.Equal(["out.npy"], Directory.GetFiles(_temp.Root).Select(Path.GetFileName));
    }
}
