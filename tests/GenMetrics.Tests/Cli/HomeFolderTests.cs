using GenMetrics.Tests.Metrics;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// An ONNX-backed verb run as its own process with HOME set to an empty folder: nothing is written there (ONNX
/// Runtime's telemetry device id and event queue under <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime</c>
/// included) except the documented caches, and stderr stays silent (no telemetry warning).
/// </summary>
public sealed class HomeFolderTests
{
    /// <summary>The caches the README documents under the home folder (GenMetrics' weights and features, torch.hub's).</summary>
    private static readonly string[] DocumentedCaches = [Path.Combine(".cache", "genmetrics"), Path.Combine(".cache", "torch")];

    [Fact]
    public async Task LpipsWritesNothingUnderHomeAndPrintsNoTelemetryWarning()
    {
        if (OperatingSystem.IsWindows()) return;
        using var home = new TempDirectory();
        using var outputs = new TempDirectory();
        string id = LpipsFixture.MeasurablePairs(LpipsNetwork.Alex)[0];
        // With --report: the chart library (ScottPlot on SkiaSharp) writes nothing under HOME either.
        using var process = CliExecutable.Start(
            ["lpips", LpipsFixture.PairPath(id, "ref"), LpipsFixture.PairPath(id, "dist"), "--net", "alex",
             "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex), "--threads", "2", "--quiet", "--report", outputs.Path("r.html")],
            env =>
            {
                env["HOME"] = home.Root;
                foreach (string name in new[] { "XDG_CACHE_HOME", "GENMETRICS_CACHE", "TORCH_HOME", "ORT_DISABLE_TELEMETRY" }) env.Remove(name);
            });
        var output = process.StandardOutput.ReadToEndAsync();
        var errorText = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(limit.Token);
        string error = await errorText;
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {error}");
        Assert.Contains("lpips", await output, StringComparison.Ordinal);
        Assert.True(File.Exists(outputs.Path("r.html")), "report not written");
        Assert.Equal("", error);
        var written = Directory.EnumerateFiles(home.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(home.Root, f))
            .Where(f => !DocumentedCaches.Any(c => f.StartsWith(c + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .ToList();
        Assert.True(written.Count == 0, "written under HOME: " + string.Join(", ", written));
        Assert.False(Directory.Exists(Path.Combine(home.Root, ".cache", "Microsoft")), "ONNX Runtime telemetry folder created under HOME");
    }
}
