namespace GenMetrics.Weights;

/// <summary>Where a weights file was found.</summary>
public enum WeightsSource
{
    /// <summary>Not found anywhere (a download is needed).</summary>
    NotFound,

    /// <summary>The path the user gave (<c>--weights PATH</c>).</summary>
    Explicit,

    /// <summary>GenMetrics' cache folder.</summary>
    GenMetricsCache,

    /// <summary>torch.hub's checkpoint folder (shared with pytorch-fid, torch-fidelity, torchvision).</summary>
    TorchHubCache,

    /// <summary>Downloaded just now into GenMetrics' cache.</summary>
    Downloaded,
}

/// <summary>A weights file and where it came from.</summary>
/// <param name="Path">Absolute path of the file, or null when <paramref name="Source"/> is NotFound.</param>
/// <param name="Source">Where it was found.</param>
public sealed record WeightsLocation(string? Path, WeightsSource Source);
