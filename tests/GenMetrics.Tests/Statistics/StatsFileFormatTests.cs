using System.IO.Compression;
using GenMetrics.Checkpoints;
using GenMetrics.Statistics;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Statistics;

/// <summary>
/// The stats file layout (format version 2): deflated members by default (numpy <c>savez_compressed</c>), stored
/// with <c>--uncompressed</c>; <c>mu</c>, <c>sigma</c>, <c>n</c>, <c>sum_float32</c>, provenance and
/// <c>format_version</c>, with <c>sum</c>/<c>sum_xxT</c> only on request.
/// </summary>
public sealed class StatsFileFormatTests : IDisposable
{
    private static readonly string[] DefaultKeys = ["format_version", "layer", "mu", "n", "protocol", "sigma", "sum_float32", "weights"];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Features => Fixtures.Path("golden", "fid", "features_set_a_d192.npy");

    private string Stats(string name, params string[] flags)
    {
        string path = _temp.Path(name);
        var r = CliRunner.Run(["stats", Features, "--out", path, "--quiet", .. flags]);
        Assert.True(r.ExitCode == 0, r.Error);
        return path;
    }

    /// <summary>Each member's (compressed, uncompressed) size from the zip directory.</summary>
    private static Dictionary<string, (long Compressed, long Length)> Members(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.ToDictionary(e => e.FullName, e => (e.CompressedLength, e.Length));
    }

    [Fact]
    public void DefaultIsCompressedWithoutSums()
    {
        string path = Stats("default.npz");
        Assert.Equal(DefaultKeys, NpzFile.ReadKeys(path).Order(StringComparer.Ordinal));
        var sigma = Members(path)["sigma.npy"];
        Assert.True(sigma.Compressed < sigma.Length, $"sigma.npy stored uncompressed ({sigma.Compressed} of {sigma.Length} bytes)");
        var arrays = NpzFile.Read(path);
        Assert.Equal(StatsFile.FormatVersion, arrays["format_version"].ToInt64()[0]);
        Assert.Equal(64, arrays["n"].ToInt64()[0]);

        var expected = FeatureMatrix.Statistics("golden", "fid", "features_set_a_d192.npy");
        var read = StatsFile.Read(path);
        // Exact: the file holds the float64 μ and Σ of the one pass, written and read without conversion.
        Assert.Equal(expected.Mean, read.Mean);
        Assert.Equal(expected.Covariance, read.Covariance);
        Assert.Equal(expected.MeanFloat32, read.MeanFloat32);
        Assert.Equal(64, read.Count);
        Assert.Null(read.Sums);
    }

    [Fact]
    public void UncompressedAndSumsOnRequest()
    {
        string stored = Stats("stored.npz", "--uncompressed");
        Assert.All(Members(stored), m => Assert.Equal(m.Value.Length, m.Value.Compressed));
        Assert.DoesNotContain("sum_xxT", NpzFile.ReadKeys(stored));

        string sums = Stats("sums.npz", "--sums");
        Assert.Equal(DefaultKeys.Concat(["sum", "sum_xxT"]).Order(StringComparer.Ordinal), NpzFile.ReadKeys(sums).Order(StringComparer.Ordinal));
        var withSums = StatsFile.Read(sums);
        var plain = StatsFile.Read(stored);
        Assert.NotNull(withSums.Sums);
        Assert.Equal(plain.Mean, withSums.Mean);
        Assert.Equal(plain.Covariance, withSums.Covariance);
    }

    [Fact]
    public void SumsOfStatisticsWithoutSumsFollowFromNMuAndSigma()
    {
        // Σx = n μ and Σxxᵀ = (n − 1) Σ + n μμᵀ: the reader's own check (sum / n = μ) accepts them, and the sums
        // give back μ and Σ to float64 rounding (1e-12 relative to the largest |Σ|; the subtraction Σxxᵀ − n μμᵀ
        // loses at most log2(|Σxxᵀ| / |Σ|) ≈ 4 bits here).
        var one = FeatureMatrix.Statistics("golden", "fid", "features_set_a_d192.npy");
        var bare = new GaussianStatistics(one.Mean, one.Covariance, one.Provenance, one.Count);
        string path = _temp.Path("rebuilt.npz");
        StatsFile.Write(path, bare, new StatsFileOptions { IncludeSums = true, Compress = false });
        var read = StatsFile.Read(path);
        Assert.NotNull(read.Sums);
        var rebuilt = GaussianStatistics.From(read.Sums!, read.Provenance);
        double scale = one.Covariance.Max(Math.Abs);
        Tolerance.AllClose(one.Covariance, rebuilt.Covariance, 1e-12 * scale, 0, "sigma from rebuilt sums");
        Tolerance.AllClose(one.Mean, rebuilt.Mean, 1e-15, 1e-12, "mu from rebuilt sums");
    }

    [Fact]
    public void SumsNeedACount()
    {
        var one = FeatureMatrix.Statistics("golden", "fid", "features_set_a_d192.npy");
        var noCount = new GaussianStatistics(one.Mean, one.Covariance, one.Provenance);
        string path = _temp.Path("nocount.npz");
        var e = Assert.Throws<GenMetricsException>(() => StatsFile.Write(path, noCount, new StatsFileOptions { IncludeSums = true }));
        Assert.Contains("no sample count n", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }
}
