namespace GenMetrics.Tests.Hostile;

/// <summary>
/// An output that cannot be written is refused before any work: the input given here does not exist, so an error
/// naming the output proves the destination was checked first.
/// </summary>
public sealed class HostileOutputFolderTests
{
    public static TheoryData<string, string> Verbs => new()
    {
        { "features", ".npy" },
        { "stats", ".npz" },
        { "merge-stats", ".npz" },
        { "merge-features", ".npy" },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void OutputInAMissingFolderIsRefusedBeforeTheWork(string verb, string extension)
    {
        using var dir = new TempDirectory();
        string output = Path.Combine(dir.Root, "no-such-folder", "out" + extension);
        var r = CliRunner.Run(verb, Path.Combine(dir.Root, "missing-input" + extension), "--out", output);
        CliAssert.OneLineError(r, "does not exist; create it");
        Assert.Contains(output, r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void OutputInAnUnwritableFolderIsRefusedBeforeTheWork(string verb, string extension)
    {
        // /proc refuses new files even for root (these tests run on Linux, as the product's CI does).
        using var dir = new TempDirectory();
        string output = "/proc/genmetrics-out" + extension;
        var r = CliRunner.Run(verb, Path.Combine(dir.Root, "missing-input" + extension), "--out", output);
        CliAssert.OneLineError(r, "cannot write in /proc");
        Assert.False(File.Exists(output));
    }
}
