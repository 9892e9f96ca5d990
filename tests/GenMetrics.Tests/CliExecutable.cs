using System.Diagnostics;

namespace GenMetrics.Tests;

/// <summary>
/// The real <c>genmetrics</c> executable (the CLI's apphost, copied beside the tests by the project reference), for
/// what the in-process <see cref="CliRunner"/> cannot show: signals, and a process environment of its own.
/// </summary>
internal static class CliExecutable
{
    /// <summary>The apphost's path.</summary>
    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "GenMetrics.Cli.exe" : "GenMetrics.Cli");

    /// <summary>Starts it with redirected output; <paramref name="environment"/> may edit the child's variables first.</summary>
    public static Process Start(IEnumerable<string> args, Action<IDictionary<string, string?>>? environment = null)
    {
        Assert.True(File.Exists(Path), $"the CLI executable is not beside the tests: {Path}");
        var start = new ProcessStartInfo(Path) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) start.ArgumentList.Add(a);
        environment?.Invoke(start.Environment);
        return Process.Start(start)!;
    }
}
