using System.Diagnostics;
using System.Text.RegularExpressions;

namespace GenMetrics.Tests.Samples;

/// <summary>
/// The README's quick-start commands, parsed out of README.md so that they cannot drift, run as written from the
/// repository root by the built CLI with an empty home folder and no network: the main job (a pair metric on the
/// shipped samples) succeeds; the FID quick start, without cached weights, stops with one line that names the
/// weights file and where to put it.
/// </summary>
public sealed partial class ReadmeQuickStartTests
{
    private const string DotnetRun = "dotnet run --project src/GenMetrics.Cli -c Release -- ";

    /// <summary>Every fenced line of the "Two commands on a fresh machine" section that runs the CLI.</summary>
    private static List<string> QuickStartCommands()
    {
        string readme = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "README.md"));
        int start = readme.IndexOf("## Two commands on a fresh machine", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no 'Two commands on a fresh machine' section");
        int end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        string section = readme[start..(end < 0 ? readme.Length : end)];
        return FencedBlock().Matches(section).Select(m => m.Groups[1].Value.Trim())
            .Where(line => line.StartsWith("dotnet run", StringComparison.Ordinal)).ToList();
    }

    /// <summary>Runs a README command line (after the <c>dotnet run … --</c> prefix) in the repository root, offline.</summary>
    private static async Task<(int ExitCode, string Out, string Error)> RunAsWritten(string commandLine, string home)
    {
        Assert.StartsWith(DotnetRun, commandLine, StringComparison.Ordinal);
        var start = new ProcessStartInfo(CliExecutable.Path)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Fixtures.RepositoryRoot,
        };
        // The README's arguments have no quoting: split on spaces, as a shell would.
        foreach (string a in commandLine[DotnetRun.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)) start.ArgumentList.Add(a);
        start.Environment["HOME"] = home;
        foreach (string name in new[] { "XDG_CACHE_HOME", "GENMETRICS_CACHE", "TORCH_HOME", "GENMETRICS_WEIGHTS_URL" }) start.Environment.Remove(name);
        // No network: nothing may be fetched (a download attempt fails at once instead of depending on this machine).
        start.Environment["GENMETRICS_OFFLINE"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output, await error);
    }

    [Fact]
    public async Task TheMainJobRunsAsWrittenOffline()
    {
        var commands = QuickStartCommands();
        Assert.True(commands.Count >= 1, "no 'dotnet run' command in the quick-start section");
        using var home = new TempDirectory();
        var (exitCode, output, error) = await RunAsWritten(commands[0], home.Root);
        Assert.True(exitCode == 0, $"'{commands[0]}' failed ({exitCode}): {error}");
        Assert.Contains("over 4 pair(s)", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFidQuickStartSaysWhereToPutTheWeightsOffline()
    {
        string fid = QuickStartCommands().Single(c => c.Contains(" -- fid ", StringComparison.Ordinal));
        Assert.Contains("samples/images/sets/a samples/images/sets/b", fid, StringComparison.Ordinal);
        using var home = new TempDirectory();
        var (exitCode, _, error) = await RunAsWritten(fid, home.Root);
        Assert.Equal(1, exitCode);
        string line = error.Trim();
        Assert.DoesNotContain('\n', line);
        string file = "pt_inception-2015-12-05-6726825d.pth";
        Assert.Contains("https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/" + file, line, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(home.Root, ".cache", "genmetrics", "weights", file), line, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(home.Root, ".cache", "torch", "hub", "checkpoints", file), line, StringComparison.Ordinal);
        Assert.Contains("(option --weights)", line, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"```\n(.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex FencedBlock();
}
