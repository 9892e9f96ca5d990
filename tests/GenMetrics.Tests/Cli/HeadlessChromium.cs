using System.Diagnostics;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// Debian's <c>chromium</c> run headless on a local file: a screenshot and the DOM after load. Each run has its own
/// profile folder and a time limit after which the browser and its children are killed. A missing browser fails
/// the calling test (it is never skipped): <c>.ci/run</c> installs it.
/// </summary>
internal static class HeadlessChromium
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(120);

    /// <summary>The browser: <c>$CHROMIUM</c>, else <c>chromium</c> on PATH, else /usr/bin/chromium.</summary>
    public static string Executable()
    {
        string? fromEnvironment = Environment.GetEnvironmentVariable("CHROMIUM");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(fromEnvironment)) return fromEnvironment;
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(folder, "chromium");
            if (File.Exists(candidate)) return candidate;
        }
        if (File.Exists("/usr/bin/chromium")) return "/usr/bin/chromium";
        Assert.Fail("chromium not found (set CHROMIUM, or install Debian's chromium: apt-get install chromium; .ci/run does this when it is missing)");
        return "";
    }

    /// <summary>Renders <paramref name="htmlPath"/> at 1280×2000 into <paramref name="pngPath"/>.</summary>
    public static void Screenshot(string htmlPath, string pngPath, string profile)
    {
        Run(profile, $"--screenshot={pngPath}", "--window-size=1280,2000", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);
        Assert.True(File.Exists(pngPath), $"chromium wrote no screenshot {pngPath}");
    }

    /// <summary>The serialised DOM of <paramref name="htmlPath"/> after load (<c>--dump-dom</c>).</summary>
    public static string DumpDom(string htmlPath, string profile) =>
        Run(profile, "--dump-dom", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri);

    private static string Run(string profile, params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["HOME"] = profile; // the browser's own files (.pki, crash dumps) stay in the test's folder
        foreach (string a in (string[])["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            $"--user-data-dir={profile}", .. arguments])
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("chromium did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"chromium did not finish within {Limit.TotalSeconds:F0} s and was killed; stderr: {Tail(error)}");
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"chromium exited {process.ExitCode}; stderr: {Tail(error)}");
        return output.Result;
    }

    private static string Tail(Task<string> text) => text.IsCompleted ? text.Result[Math.Max(0, text.Result.Length - 2000)..] : "(not read)";
}
