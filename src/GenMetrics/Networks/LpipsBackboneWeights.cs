using GenMetrics.Checkpoints;
using GenMetrics.Weights;

namespace GenMetrics.Networks;

/// <summary>Finds and reads an LPIPS trunk's torchvision weights.</summary>
internal static class LpipsBackboneWeights
{
    /// <summary>The published torchvision file of each trunk (canonical URL and hash prefix in the registry).</summary>
    public static KnownWeight KnownWeightFor(LpipsTrunk trunk) => trunk.Name switch
    {
        "alex" => KnownWeights.AlexNet,
        "vgg" => KnownWeights.Vgg16,
        _ => KnownWeights.SqueezeNet11,
    };

    /// <summary>
    /// Reads <paramref name="explicitPath"/> when given, else the known torchvision file of the trunk from
    /// GenMetrics' cache or torch.hub's cache, downloading it when neither has it (<see cref="WeightsResolver"/>,
    /// configured from the environment). Key names and shapes are validated when the graph is built.
    /// </summary>
    public static StateDict Load(LpipsTrunk trunk, string? explicitPath, IProgress<WorkProgress>? progress, WeightsResolver? resolver = null)
    {
        if (explicitPath is not null) return CheckpointReader.Read(explicitPath);
        WeightsLocation location;
        try
        {
            location = (resolver ?? WeightsResolver.FromEnvironment()).Resolve(KnownWeightFor(trunk), null, progress);
        }
        catch (GenMetricsException e) when (e.ParameterName is null)
        {
            // The resolver's fix is "pass the file's path": here, LpipsOptions.BackboneWeightsPath.
            e.ParameterName = nameof(Metrics.LpipsOptions.BackboneWeightsPath);
            throw;
        }
        return CheckpointReader.Read(location.Path!);
    }
}
