using GenMetrics.Checkpoints;
using GenMetrics.Statistics;

namespace GenMetrics.Tests.Statistics;

/// <summary>
/// <c>merge-stats</c> of disjoint shards equals one <c>stats</c> pass over their union, from the fixtures' real
/// 2048-d pool3 features (set_a then set_b, 128 rows) cut into uneven shards: files without sums (the default,
/// merged from n, μ, Σ by Chan et al.'s pairwise update), files with sums (<c>--sums</c>) and a mix of both.
/// </summary>
public sealed class StatsMergeParityTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>The union of the two fixture feature sets as float32 rows, and its width.</summary>
    private static (float[] Rows, int Count, int Dimension) Union()
    {
        var a = NpyFile.Read(Fixtures.Path("golden", "fid", "features_set_a_d2048.npy"));
        var b = NpyFile.Read(Fixtures.Path("golden", "fid", "features_set_b_d2048.npy"));
        float[] rows = [.. a.ToFloat32(), .. b.ToFloat32()];
        return (rows, a.Shape[0] + b.Shape[0], a.Shape[1]);
    }

    /// <summary>Writes rows [start, end) as a float32 .npy and runs <c>stats</c> on it with <paramref name="flags"/>.</summary>
    private string Stats(string name, float[] rows, int d, int start, int end, params string[] flags)
    {
        string features = _temp.Path(name + ".npy");
        NpyFile.Write(features, NpyArray.FromFloat32(rows.AsSpan(start * d, (end - start) * d), end - start, d));
        string stats = _temp.Path(name + ".npz");
        var r = CliRunner.Run(["stats", features, "--out", stats, "--quiet", .. flags]);
        Assert.True(r.ExitCode == 0, r.Error);
        return stats;
    }

    private string Merge(params string[] parts)
    {
        string merged = _temp.Path("merged-" + Guid.NewGuid().ToString("N") + ".npz");
        var r = CliRunner.Run(["merge-stats", .. parts, "-o", merged, "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Error);
        return merged;
    }

    /// <summary>
    /// μ and Σ of a merge against one pass. Tier 1e-12 relative, element by element (plus 1e-12 of the largest |Σ|
    /// for elements near zero, whose one-pass value is itself the difference of two sums ~1e3 times larger): both
    /// sides are exact up to float64 rounding over 128 rows (~1e-14 relative at worst), so 1e-12 leaves two orders
    /// of margin, and a wrong weight (n off by one in any shard) moves Σ by ~1e-2 relative.
    /// </summary>
    private static void AssertSame(GaussianStatistics expected, GaussianStatistics actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        double scale = expected.Covariance.Max(Math.Abs);
        double muScale = expected.Mean.Max(Math.Abs);
        Tolerance.AllClose(expected.Mean, actual.Mean, 1e-12 * muScale, 1e-12, what + " mu");
        Tolerance.AllClose(expected.Covariance, actual.Covariance, 1e-12 * scale, 1e-12, what + " sigma");
    }

    [Fact]
    public void MergedShardsWithoutSumsEqualOnePass()
    {
        var (rows, n, d) = Union();
        var whole = StatsFile.Read(Stats("whole", rows, d, 0, n));
        // Uneven shards, one of them straddling the two fixture sets (whose means differ), so δ is not small.
        int[] cuts = [0, 5, 41, 90, n];
        var parts = new string[cuts.Length - 1];
        for (int i = 0; i < parts.Length; i++) parts[i] = Stats($"part{i}", rows, d, cuts[i], cuts[i + 1]);
        foreach (string part in parts)
        {
            var keys = NpzFile.ReadKeys(part);
            Assert.DoesNotContain("sum", keys);
            Assert.DoesNotContain("sum_xxT", keys);
        }
        var merged = StatsFile.Read(Merge(parts));
        AssertSame(whole, merged, "4 shards without sums");
        Assert.Null(merged.Sums);
        // torch-fidelity's float32 μ: the shards' float32 row-order sums added in float32, as a merge of sums always
        // did; one pass adds the 128 rows in row order, so they agree to float32 rounding of a 128-term sum (2e-6 rel).
        Tolerance.AllClose(whole.MeanFloat32!, merged.MeanFloat32!, 1e-7, 2e-6, "float32 mu");
    }

    [Fact]
    public void FilesWithSumsAndMixedFilesMergeToo()
    {
        var (rows, n, d) = Union();
        var whole = StatsFile.Read(Stats("whole", rows, d, 0, n));
        string a = Stats("a", rows, d, 0, 50, "--sums");
        string b = Stats("b", rows, d, 50, 77, "--sums", "--uncompressed");
        string c = Stats("c", rows, d, 77, n);
        Assert.Contains("sum_xxT", NpzFile.ReadKeys(a));
        AssertSame(whole, StatsFile.Read(Merge(a, b, c)), "sums + sums + no sums");
    }

    [Fact]
    public void OneMergeStepFollowsChanEtAl()
    {
        // Two hand-made parts: {(0, 2), (2, 6)} and {(4, 1)}. Union: n 3, μ (2, 3), Σ [[4, -1], [-1, 7]].
        var a = new GaussianStatistics([1, 4], [2, 4, 4, 8], StatsProvenance.Unknown, count: 2);
        var b = new GaussianStatistics([4, 1], [0, 0, 0, 0], StatsProvenance.Unknown, count: 1);
        var merge = new StatisticsMerge(a, null);
        merge.Add(b, null);
        var union = merge.Result();
        Assert.Equal(3, union.Count);
        Assert.Equal([2.0, 3.0], union.Mean);
        Assert.Equal([4.0, -1.0, -1.0, 7.0], union.Covariance);
    }

    [Fact]
    public void AFileWithoutCountIsRefused()
    {
        // pytorch-fid's own files hold mu and sigma only.
        string plain = _temp.Path("plain.npz");
        NpzFile.Write(plain, [new("mu", NpyArray.FromFloat64([1, 4], 2)), new("sigma", NpyArray.FromFloat64([2, 4, 4, 8], 2, 2))]);
        string output = _temp.Path("m.npz");
        var r = CliRunner.Run("merge-stats", plain, plain, "-o", output, "--quiet");
        CliAssert.OneLineError(r, plain);
        Assert.Contains("no sample count n", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }
}
