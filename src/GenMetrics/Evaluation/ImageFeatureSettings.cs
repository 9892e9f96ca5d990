using GenMetrics.Metrics;

namespace GenMetrics.Evaluation;

/// <summary>How image folders/zips become features: weights, batching, device and the on-disk cache.</summary>
public sealed record ImageFeatureSettings
{
    /// <summary>The FID Inception-v3 weights (.pth). Required for image inputs.</summary>
    public string? WeightsPath { get; init; }

    /// <summary>Images per network call (results do not depend on it).</summary>
    public int BatchSize { get; init; } = Features.FeatureExtractorOptions.DefaultBatchSize;

    /// <summary>Execution provider.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>The GPU ordinal when <see cref="Device"/> is <see cref="ComputeDevice.Cuda"/>; default 0.</summary>
    public int DeviceId { get; init; }

    /// <summary>Image decode and resize workers (0 = one per two cores); results do not depend on it.</summary>
    public int DecodeWorkers { get; init; }

    /// <summary>Whether a folder input includes the images of its sub-folders.</summary>
    public bool Recursive { get; init; }

    /// <summary>Feature cache folder; null = <c>$GENMETRICS_CACHE</c>, else <c>$XDG_CACHE_HOME/genmetrics</c>, else <c>~/.cache/genmetrics</c>.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Disable reading and writing the feature cache.</summary>
    public bool NoCache { get; init; }

    /// <summary>Progress of the extraction.</summary>
    public IProgress<WorkProgress>? Progress { get; init; }

    /// <summary>The cache folder in use.</summary>
    public string ResolveCacheDirectory()
    {
        if (CacheDirectory is not null) return CacheDirectory;
        string? env = Environment.GetEnvironmentVariable("GENMETRICS_CACHE");
        if (!string.IsNullOrEmpty(env)) return env;
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        string root = !string.IsNullOrEmpty(xdg) ? xdg : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "genmetrics", "features");
    }
}
