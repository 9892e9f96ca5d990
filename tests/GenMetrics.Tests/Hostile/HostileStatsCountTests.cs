using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Hostile;

/// <summary>
/// The <c>n</c> of a statistics file: a positive integer, consistent with the stored sums (sum / n = mu), refused
/// with one line naming the file by <c>fid</c> and by <c>merge-stats</c> (which would otherwise weight it wrongly).
/// </summary>
public sealed class HostileStatsCountTests
{
    /// <summary>Statistics of two 2-d rows, (0, 2) and (2, 6): mu (1, 4), sum (2, 8), with the given n.</summary>
    private static string WriteStats(TempDirectory dir, string name, NpyArray n)
    {
        string path = dir.Path(name);
        NpzFile.Write(path,
        [
            new("mu", NpyArray.FromFloat64([1, 4], 2)),
            new("sigma", NpyArray.FromFloat64([2, 4, 4, 8], 2, 2)),
            new("n", n),
            new("sum", NpyArray.FromFloat64([2, 8], 2)),
            new("sum_xxT", NpyArray.FromFloat64([4, 12, 12, 40], 2, 2)),
        ]);
        return path;
    }

    public static TheoryData<string, string> BadCounts => new()
    {
        { "zero", " n is 0" },
        { "negative", " n is -3" },
        { "fraction", " n is 2.5" },
        { "empty", " n holds 0 values" },
        { "inconsistent", "does not match the stored sums" },
    };

    private static NpyArray Count(string kind) => kind switch
    {
        "zero" => NpyArray.FromInt64([0]),
        "negative" => NpyArray.FromInt64([-3]),
        "fraction" => NpyArray.FromFloat64([2.5]),
        "empty" => NpyArray.FromInt64([], 0),
        "inconsistent" => NpyArray.FromInt64([5]),
        _ => NpyArray.FromInt64([2]),
    };

    [Theory]
    [MemberData(nameof(BadCounts))]
    public void FidRefusesABadCount(string kind, string message)
    {
        using var dir = new TempDirectory();
        string bad = WriteStats(dir, "bad.npz", Count(kind));
        string good = WriteStats(dir, "good.npz", Count("good"));
        var r = CliRunner.Run("fid", good, bad, "--quiet");
        CliAssert.OneLineError(r, bad);
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(BadCounts))]
    public void MergeStatsRefusesABadCountAndWritesNothing(string kind, string message)
    {
        using var dir = new TempDirectory();
        string bad = WriteStats(dir, "bad.npz", Count(kind));
        string good = WriteStats(dir, "good.npz", Count("good"));
        string output = dir.Path("merged.npz");
        var r = CliRunner.Run("merge-stats", good, bad, "-o", output, "--quiet");
        CliAssert.OneLineError(r, bad);
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void ConsistentCountsMerge()
    {
        using var dir = new TempDirectory();
        string a = WriteStats(dir, "a.npz", Count("good"));
        string b = WriteStats(dir, "b.npz", Count("good"));
        string output = dir.Path("merged.npz");
        var r = CliRunner.Run("merge-stats", a, b, "-o", output, "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("n=4", r.Out, StringComparison.Ordinal);
    }
}
