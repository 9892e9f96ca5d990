using System.Diagnostics;
using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// The real <c>genmetrics</c> executable (the apphost copied into the test folder) interrupted by SIGINT while it
/// writes its output, and by SIGTERM while it computes: exit 130 / 143 and no <c>*.tmp-PID</c> file left.
/// </summary>
public sealed class InterruptTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>300 × 4096 features: a second of covariance work, then a ~130 MB stats file (sigma, deflated).</summary>
    private static string WriteFeatures(TempDirectory dir)
    {
        var rng = new Random(7);
        var values = new float[300 * 4096];
        for (int i = 0; i < values.Length; i++) values[i] = (float)rng.NextDouble();
        string path = dir.Path("features.npy");
        NpyFile.Write(path, NpyArray.FromFloat32(values, 300, 4096));
        return path;
    }

    private static Process StartStats(string features, string output) =>
        CliExecutable.Start(["stats", features, "--out", output, "--quiet"]);

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) } })!;
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>Starts <c>stats</c> on features written in <paramref name="dir"/>, its output in the new folder <paramref name="folder"/>.</summary>
    private static Process StartStatsInto(TempDirectory dir, string folder)
    {
        string features = WriteFeatures(dir);
        Directory.CreateDirectory(folder);
        return StartStats(features, Path.Combine(folder, "stats.npz"));
    }

    private static string[] TempFiles(string folder) => Directory.GetFiles(folder, "*.tmp-*");

    private static (int ExitCode, string Error) Finish(Process process)
    {
        var error = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the CLI did not exit within {Limit} after the signal");
        }
        return (process.ExitCode, error.Result);
    }

    [Fact]
    public void SigintDuringTheFinalWriteExits130AndLeavesNoTemporaryFile()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string folder = dir.Path("out");
        using var process = StartStatsInto(dir, folder);
        var watch = Stopwatch.StartNew();
        while (TempFiles(folder).Length == 0)
        {
            if (process.HasExited) Assert.Fail($"the CLI exited ({process.ExitCode}) before it started writing: {process.StandardError.ReadToEnd()}");
            Assert.True(watch.Elapsed < Limit, "the CLI never started writing its output");
            Thread.Sleep(2);
        }
        Signal(process, "INT");
        var (exitCode, error) = Finish(process);
        Assert.True(exitCode == 130, $"exit {exitCode}: {error}");
        Assert.Contains("interrupted", error, StringComparison.Ordinal);
        Assert.Empty(TempFiles(folder));
    }

    [Fact]
    public void SigtermDuringTheWorkExits143AndWritesNothing()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string folder = dir.Path("out");
        using var process = StartStatsInto(dir, folder);
        Thread.Sleep(400); // the runtime is up and the covariance is being computed
        Assert.False(process.HasExited, "the CLI finished before the signal; the test's work is too small");
        Signal(process, "TERM");
        var (exitCode, error) = Finish(process);
        Assert.True(exitCode == 143, $"exit {exitCode}: {error}");
        Assert.Empty(Directory.GetFileSystemEntries(folder));
    }

    /// <summary>
    /// SIGINT while the network works on images: the run's cancellation token stops it at its next batch (the 1 s
    /// watchdog is the fallback), with one error line after the progress lines, exit 130 and no output.
    /// </summary>
    [Fact]
    public async Task SigintDuringFeatureExtractionStopsPromptlyWithExit130()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        string output = dir.Path("features.npy");
        using var process = CliExecutable.Start(["features", Fixtures.Path("images", "set_a"), "--out", output,
            "--weights", Fixtures.Path("weights", "fid_inception.pth"), "--batch-size", "4"]);
        string? firstLine = await process.StandardError.ReadLineAsync().WaitAsync(Limit);
        Assert.StartsWith("features ", firstLine, StringComparison.Ordinal); // redirected: a plain line, no \r
        var watch = Stopwatch.StartNew();
        Signal(process, "INT");
        var (exitCode, error) = Finish(process);
        // Within the grace second plus process teardown on a loaded 2-core machine.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"stopped after {watch.Elapsed}");
        Assert.True(exitCode == 130, $"exit {exitCode}: {error}");
        Assert.DoesNotContain('\r', error);
        Assert.Contains("error: interrupted", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Root));
    }
}
