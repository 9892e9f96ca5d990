using System.Globalization;
using GenMetrics.Checkpoints;

namespace GenMetrics.Networks;

/// <summary>
/// The published LPIPS v0.1 lin weights (PerceptualSimilarity <c>lpips/weights/v0.1/{alex,vgg,squeeze}.pth</c>),
/// shipped inside the assembly as embedded resources, byte-identical to the published files (SHA-256 in
/// REFERENCES.md §2.11, checked by a test). Keys <c>lin{l}.model.1.weight</c>, shape (1, C, 1, 1).
/// </summary>
internal static class LpipsLinearHeads
{
    /// <summary>Logical resource name of a trunk's lin weights, e.g. <c>GenMetrics.LpipsWeights.alex.pth</c>.</summary>
    public static string ResourceName(LpipsTrunk trunk) => $"GenMetrics.LpipsWeights.{trunk.Name}.pth";

    /// <summary>Opens the embedded file of <paramref name="trunk"/>.</summary>
    public static Stream Open(LpipsTrunk trunk) =>
        typeof(LpipsLinearHeads).Assembly.GetManifestResourceStream(ResourceName(trunk))
        ?? throw new InvalidOperationException($"embedded resource {ResourceName(trunk)} is missing from the GenMetrics assembly");

    /// <summary>Reads the lin weights of <paramref name="trunk"/>: one float array of C values per tap (cached per process).</summary>
    public static float[][] Load(LpipsTrunk trunk) => Cache.GetOrAdd(trunk.Name, _ => new Lazy<float[][]>(() => Read(trunk))).Value;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<float[][]>> Cache = new();

    private static float[][] Read(LpipsTrunk trunk)
    {
        StateDict weights;
        using (Stream stream = Open(trunk))
        {
            weights = CheckpointReader.Read(stream, ResourceName(trunk));
        }
        var expected = new List<KeyValuePair<string, int[]>>();
        for (int layer = 0; layer < trunk.TapChannels.Count; layer++)
        {
            expected.Add(new(Key(layer), [1, trunk.TapChannels[layer], 1, 1]));
        }
        weights.Validate(expected, $"LPIPS v0.1 {trunk.Name} lin layers");
        return [.. expected.Select(pair => weights[pair.Key].ToFloat32())];
    }

    private static string Key(int layer) => string.Create(CultureInfo.InvariantCulture, $"lin{layer}.model.1.weight");
}
