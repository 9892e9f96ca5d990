namespace GenMetrics.Weights;

/// <summary>
/// The two folders searched for weights files: GenMetrics' own cache and torch.hub's checkpoint folder.
/// </summary>
/// <param name="GenMetricsCache">Where GenMetrics downloads to: <c>$GENMETRICS_CACHE/weights</c>, else <c>$XDG_CACHE_HOME/genmetrics/weights</c>, else <c>~/.cache/genmetrics/weights</c> (Windows: <c>%LOCALAPPDATA%\genmetrics\weights</c>).</param>
/// <param name="TorchHubCheckpoints">torch.hub's folder, read but never written: <c>$TORCH_HOME/hub/checkpoints</c>, else <c>$XDG_CACHE_HOME/torch/hub/checkpoints</c>, else <c>~/.cache/torch/hub/checkpoints</c> (torch's <c>_get_torch_home</c>).</param>
public sealed record WeightsCacheFolders(string GenMetricsCache, string TorchHubCheckpoints)
{
    /// <summary>The folders from the process environment.</summary>
    public static WeightsCacheFolders FromEnvironment() => FromVariables(Environment.GetEnvironmentVariable);

    /// <summary>The folders from environment variables supplied by <paramref name="variable"/> (testable without touching the process environment).</summary>
    public static WeightsCacheFolders FromVariables(Func<string, string?> variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string? xdg = NonEmpty(variable("XDG_CACHE_HOME"));
        string cacheHome = xdg ?? (OperatingSystem.IsWindows()
            ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData)
            : Path.Combine(home, ".cache"));

        string genMetrics = NonEmpty(variable("GENMETRICS_CACHE")) is { } explicitCache
            ? Path.Combine(ExpandHome(explicitCache, home), "weights")
            : Path.Combine(cacheHome, "genmetrics", "weights");
        string torchHome = NonEmpty(variable("TORCH_HOME")) is { } torch
            ? ExpandHome(torch, home)
            : Path.Combine(xdg ?? Path.Combine(home, ".cache"), "torch");
        return new WeightsCacheFolders(genMetrics, Path.Combine(torchHome, "hub", "checkpoints"));
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static string ExpandHome(string path, string home) =>
        path == "~" ? home : path.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(home, path[2..]) : path;
}
