using System.Diagnostics;
using System.Globalization;

namespace GenMetrics.Benchmarks;

/// <summary>A whole <c>genmetrics</c> process (the Release build of the CLI) under <c>/usr/bin/time</c>: wall clock and peak RSS.</summary>
internal static class TimedCliProcess
{
    /// <summary>The CLI assembly of the Release build beside this benchmark.</summary>
    public static string CliPath()
    {
        string cli = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "GenMetrics.Cli", "bin", "Release", "net10.0", "GenMetrics.Cli.dll"));
        if (!File.Exists(cli)) throw new InvalidOperationException($"{cli} not found: build the solution in Release first");
        return cli;
    }

    /// <summary>Runs <c>dotnet CLI args…</c>; throws with its error output when it fails.</summary>
    public static (double Wall, long PeakKb, string Stdout) Run(string cli, IEnumerable<string> args, int threads)
    {
        var start = new ProcessStartInfo("/usr/bin/time")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-f", "GENMETRICS_TIME %e %M", "dotnet", cli }.Concat(args)) start.ArgumentList.Add(arg);
        start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string stderr = stderrTask.Result;
        if (process.ExitCode != 0) throw new InvalidOperationException($"genmetrics {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}");
        string line = stderr.Split('\n').Last(l => l.StartsWith("GENMETRICS_TIME ", StringComparison.Ordinal));
        string[] parts = line.Split(' ');
        return (double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), stdout);
    }
}
