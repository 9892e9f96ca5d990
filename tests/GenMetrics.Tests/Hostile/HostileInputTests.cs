using System.Diagnostics;
using System.IO.Compression;
using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Hostile;

/// <summary>
/// Crafted inputs (issue 9): each run must exit 1 with exactly one stderr line naming the file, must not hang,
/// and must write nothing outside the test's own folder.
/// </summary>
public sealed class HostileInputTests
{
    private static readonly TimeSpan HangLimit = TimeSpan.FromSeconds(30);

    private static CliRunner.Result RunBounded(params string[] args) => Bounded(() => CliRunner.Run(args));

    private static T Bounded<T>(Func<T> work)
    {
        var task = Task.Run(work);
        Assert.True(task.Wait(HangLimit), $"did not finish within {HangLimit} (a FIFO or device was opened?)");
        return task.Result;
    }

    private static void Tool(string name, params string[] args)
    {
        var start = new ProcessStartInfo(name) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{name} {string.Join(' ', args)}: {p.StandardError.ReadToEnd()}");
    }

    private static string MakeFifo(TempDirectory dir, string name)
    {
        string path = dir.Path(name);
        Tool("mkfifo", path);
        return path;
    }

    private static bool IsRoot => Environment.UserName == "root";

    private static List<string> FilesUnder(string root) => [.. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)];

    // ---- 1. path traversal in lpips --spatial-out ----

    [Theory]
    [InlineData("../../x.png")]
    [InlineData("/abs/x.png")]
    [InlineData("a/../../x.png")]
    public void LpipsSpatialOutRefusesMemberNamesOutsideTheFolder(string member)
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string work = dir.Path("a/b");
        Directory.CreateDirectory(work);
        foreach (string side in new[] { "ref.zip", "dist.zip" })
        {
            using var zip = ZipFile.Open(Path.Combine(work, side), ZipArchiveMode.Create);
            using var s = zip.CreateEntry(member).Open();
            s.Write([1, 2, 3]);
        }
        var before = FilesUnder(dir.Root);
        var r = RunBounded("lpips", Path.Combine(work, "ref.zip"), Path.Combine(work, "dist.zip"), "--spatial-out", Path.Combine(work, "maps"), "--quiet");
        CliAssert.OneLineError(r, member);
        Assert.Contains("--spatial-out", r.Error, StringComparison.Ordinal);
        Assert.Equal(before, FilesUnder(dir.Root));
        Assert.False(File.Exists("/abs/x.npy"));
    }

    // ---- 2. outputs that are not regular files ----

    [Theory]
    [InlineData("features", ".npy")]
    [InlineData("stats", ".npz")]
    [InlineData("merge-stats", ".npz")]
    public void OutOnFifoIsRefusedAndKept(string verb, string extension)
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir, "out" + extension);
        AssertOutputRefused(dir, verb, fifo, "FIFO");
    }

    [Fact]
    public void OutOnCharacterDeviceIsRefusedAndKept()
    {
        if (OperatingSystem.IsWindows()) return;
        if (!IsRoot)
        {
            Console.WriteLine("skipped: creating a character device with mknod needs root");
            return;
        }
        using var dir = new TempDirectory();
        string device = dir.Path("null.npy");
        Tool("mknod", device, "c", "1", "3");
        AssertOutputRefused(dir, "features", device, "character device");
    }

    private static void AssertOutputRefused(TempDirectory dir, string verb, string output, string kind)
    {
        string input = dir.Path("in.npz");
        File.WriteAllBytes(input, [0]);
        var before = FilesUnder(dir.Root);
        string[] args = verb == "merge-stats" ? [verb, input, input, "-o", output] : [verb, dir.Root, "--out", output];
        var r = RunBounded(args);
        CliAssert.OneLineError(r, output);
        Assert.Contains(kind, r.Error, StringComparison.Ordinal);
        Assert.StartsWith(kind, FileKindPolicy.NonRegularKind(output) ?? "replaced by a regular file", StringComparison.Ordinal);
        Assert.Equal(before, FilesUnder(dir.Root)); // no temp file left beside it
    }

    [Fact]
    public void AtomicWriteOntoFifoThrowsAndLeavesNoTemp()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir, "x.npy");
        var e = Assert.Throws<GenMetricsException>(() => NpyFile.Write(fifo, NpyArray.FromFloat32(new float[4], 2, 2)));
        Assert.Contains(fifo, e.Message, StringComparison.Ordinal);
        Assert.Single(FilesUnder(dir.Root));
    }

    // ---- 3. inputs that are not regular files ----

    [Fact]
    public void FolderEntryLinkedToDevZeroIsRefusedByName()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string images = dir.Path("images");
        Directory.CreateDirectory(images);
        string link = Path.Combine(images, "zero.png");
        File.CreateSymbolicLink(link, "/dev/zero");
        var r = RunBounded("features", images, "--out", dir.Path("f.npy"), "--quiet");
        CliAssert.OneLineError(r, "zero.png");
        Assert.Contains("character device", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.Path("f.npy")));
    }

    [Theory]
    [InlineData("features", "image.png")]
    [InlineData("fid", "stats.npz")]
    public void FifoAsCliInputIsRefusedWithoutHanging(string verb, string name)
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir, name);
        var r = verb == "features"
            ? RunBounded("features", fifo, "--out", dir.Path("f.npy"), "--quiet")
            : RunBounded("fid", fifo, fifo, "--quiet");
        CliAssert.OneLineError(r, fifo);
        Assert.Contains("FIFO", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FifoAsNpyOrCheckpointIsRefusedWithoutHanging()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string npy = MakeFifo(dir, "a.npy");
        string pth = MakeFifo(dir, "w.pth");
        var npyError = Bounded(() => Assert.Throws<GenMetricsException>(() => NpyFile.Read(npy)));
        var pthError = Bounded(() => Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(pth)));
        Assert.Contains(npy, npyError.Message, StringComparison.Ordinal);
        Assert.Contains(pth, pthError.Message, StringComparison.Ordinal);
    }

    // ---- 6. error lines ----

    [Fact]
    public void ControlCharactersInFileNamesAreEscaped()
    {
        using var dir = new TempDirectory();
        string name = dir.Path("evil\nname\u001b[31m.npz");
        var r = RunBounded("fid", name, name, "--quiet");
        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain('\u001b', r.Error);
        Assert.Contains("evil\\nname\\x1b[31m.npz", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ThreadsBeyondTheRangeAreRefused()
    {
        using var dir = new TempDirectory();
        var r = RunBounded("lpips", dir.Root, dir.Root, "--threads", "100000");
        CliAssert.OneLineError(r, "--threads");
        Assert.Contains("256", r.Error, StringComparison.Ordinal);
    }
}
