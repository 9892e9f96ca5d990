using GenMetrics.Checkpoints;

namespace GenMetrics.Networks;

/// <summary>
/// The tensor names of NVIDIA's TorchScript Inception (<c>inception-2015-12-05.pt</c>, StyleGAN2-ADA/3, clean-fid
/// 'clean' and 'legacy_tensorflow'), mapped onto <see cref="FidInceptionV3"/>'s pytorch-fid names. The two
/// networks have the same graph; NVIDIA's file stores per convolution <c>weight</c>, <c>beta</c>, <c>mean</c>
/// and <c>var</c> (BatchNorm without γ, eps 1e-3, so γ = 1 here) and the classifier as <c>output</c>.
/// </summary>
/// <remarks>
/// Module paths: <c>layers.conv</c>…<c>layers.conv_4</c> for the stem, <c>layers.mixed</c>…<c>layers.mixed_10</c>
/// for Mixed_5b…Mixed_7c; inside a block the branches are <c>conv</c>, <c>tower</c>, <c>tower_1</c>, <c>tower_2</c>
/// (Sequentials whose convolutions are <c>conv</c>, <c>conv_1</c>, …) and, in the two InceptionE blocks, flat
/// names (<c>tower_conv</c>, <c>tower_mixed_conv</c>, <c>tower_1_mixed_conv_1</c>, …). 378 tensors in all.
/// </remarks>
internal static class NvidiaInceptionWeights
{
    private static readonly (string PytorchFid, string Nvidia)[] Stem =
    [
        ("Conv2d_1a_3x3", "layers.conv"),
        ("Conv2d_2a_3x3", "layers.conv_1"),
        ("Conv2d_2b_3x3", "layers.conv_2"),
        ("Conv2d_3b_1x1", "layers.conv_3"),
        ("Conv2d_4a_3x3", "layers.conv_4"),
    ];

    private static readonly Dictionary<string, string> Blocks = new(StringComparer.Ordinal)
    {
        ["Mixed_5b"] = "layers.mixed", ["Mixed_5c"] = "layers.mixed_1", ["Mixed_5d"] = "layers.mixed_2",
        ["Mixed_6a"] = "layers.mixed_3", ["Mixed_6b"] = "layers.mixed_4", ["Mixed_6c"] = "layers.mixed_5",
        ["Mixed_6d"] = "layers.mixed_6", ["Mixed_6e"] = "layers.mixed_7", ["Mixed_7a"] = "layers.mixed_8",
        ["Mixed_7b"] = "layers.mixed_9", ["Mixed_7c"] = "layers.mixed_10",
    };

    private static readonly Dictionary<string, string> InceptionA = new(StringComparer.Ordinal)
    {
        ["branch1x1"] = "conv", ["branch5x5_1"] = "tower.conv", ["branch5x5_2"] = "tower.conv_1",
        ["branch3x3dbl_1"] = "tower_1.conv", ["branch3x3dbl_2"] = "tower_1.conv_1", ["branch3x3dbl_3"] = "tower_1.conv_2",
        ["branch_pool"] = "tower_2.conv",
    };

    private static readonly Dictionary<string, string> InceptionB = new(StringComparer.Ordinal)
    {
        ["branch3x3"] = "conv", ["branch3x3dbl_1"] = "tower.conv", ["branch3x3dbl_2"] = "tower.conv_1", ["branch3x3dbl_3"] = "tower.conv_2",
    };

    private static readonly Dictionary<string, string> InceptionC = new(StringComparer.Ordinal)
    {
        ["branch1x1"] = "conv", ["branch7x7_1"] = "tower.conv", ["branch7x7_2"] = "tower.conv_1", ["branch7x7_3"] = "tower.conv_2",
        ["branch7x7dbl_1"] = "tower_1.conv", ["branch7x7dbl_2"] = "tower_1.conv_1", ["branch7x7dbl_3"] = "tower_1.conv_2",
        ["branch7x7dbl_4"] = "tower_1.conv_3", ["branch7x7dbl_5"] = "tower_1.conv_4", ["branch_pool"] = "tower_2.conv",
    };

    private static readonly Dictionary<string, string> InceptionD = new(StringComparer.Ordinal)
    {
        ["branch3x3_1"] = "tower.conv", ["branch3x3_2"] = "tower.conv_1",
        ["branch7x7x3_1"] = "tower_1.conv", ["branch7x7x3_2"] = "tower_1.conv_1", ["branch7x7x3_3"] = "tower_1.conv_2", ["branch7x7x3_4"] = "tower_1.conv_3",
    };

    private static readonly Dictionary<string, string> InceptionE = new(StringComparer.Ordinal)
    {
        ["branch1x1"] = "conv", ["branch3x3_1"] = "tower_conv", ["branch3x3_2a"] = "tower_mixed_conv", ["branch3x3_2b"] = "tower_mixed_conv_1",
        ["branch3x3dbl_1"] = "tower_1_conv", ["branch3x3dbl_2"] = "tower_1_conv_1", ["branch3x3dbl_3a"] = "tower_1_mixed_conv",
        ["branch3x3dbl_3b"] = "tower_1_mixed_conv_1", ["branch_pool"] = "tower_2_conv",
    };

    private static readonly Dictionary<string, string> Parameters = new(StringComparer.Ordinal)
    {
        ["conv.weight"] = "weight", ["bn.bias"] = "beta", ["bn.running_mean"] = "mean", ["bn.running_var"] = "var",
    };

    /// <summary>The BatchNorm γ key suffix of the pytorch-fid names; NVIDIA's network has no γ (it is 1).</summary>
    private const string GammaSuffix = ".bn.weight";

    /// <summary>Every tensor NVIDIA's file holds, with its shape, in the file's order (weight, beta, mean, var per convolution; output last).</summary>
    public static IReadOnlyList<(string Name, int[] Shape)> ExpectedTensors() =>
        FidInceptionV3.ExpectedTensors()
            .Where(t => !t.Name.EndsWith(GammaSuffix, StringComparison.Ordinal))
            .Select(t => (NameOf(t.Name), t.Shape))
            .ToList();

    /// <summary>
    /// Checks that <paramref name="weights"/> holds exactly NVIDIA's 378 tensors with their shapes (every missing,
    /// misshaped or unexpected name is listed), then returns the pytorch-fid-named values <see cref="FidInceptionV3.BuildModel"/> reads.
    /// </summary>
    /// <exception cref="GenMetricsException">Names or shapes differ; the message lists them.</exception>
    public static Func<string, float[]> Adapt(StateDict weights)
    {
        weights.Validate(ExpectedTensors().Select(t => KeyValuePair.Create(t.Name, t.Shape)), "TorchScript NVIDIA Inception", allowExtraKeys: false);
        RequireGraphGeometry(weights);
        var shapes = FidInceptionV3.ExpectedTensors().ToDictionary(t => t.Name, t => t.Shape, StringComparer.Ordinal);
        return name => name.EndsWith(GammaSuffix, StringComparison.Ordinal)
            ? Ones(shapes[name][0])
            : weights[NameOf(name)].ToFloat32();
    }

    /// <summary>
    /// A TorchScript archive stores each convolution's <c>stride</c> and <c>padding</c> as module attributes; every one
    /// present must equal the graph's (the pools' settings are compiled into the archive's code, which is not read).
    /// </summary>
    private static void RequireGraphGeometry(StateDict weights)
    {
        if (weights.ModuleIntegers.Count == 0) return;
        var differences = new List<string>();
        foreach (var (prefix, stride, padH, padW) in FidInceptionV3.Convolutions())
        {
            string module = NameOf(prefix + ".conv.weight")[..^".weight".Length];
            Compare($"{module}.stride", [stride]);
            Compare($"{module}.padding", [padH, padW]);
        }
        if (differences.Count > 0)
        {
            throw new GenMetricsException(
                $"{weights.SourcePath}: not a TorchScript NVIDIA Inception checkpoint (convolution settings differ from the FID Inception graph: {string.Join(", ", differences)}); pass NVIDIA's inception-2015-12-05.pt");
        }

        void Compare(string attribute, long[] expected)
        {
            // torch accepts an int or a pair for both; compare as pairs.
            if (weights.ModuleIntegers.TryGetValue(attribute, out long[]? stored) && !Pair(stored).AsSpan().SequenceEqual(Pair(expected)))
            {
                differences.Add($"{attribute} [{string.Join(", ", stored)}] instead of [{string.Join(", ", expected)}]");
            }
        }
    }

    private static long[] Pair(long[] values) => values.Length == 1 ? [values[0], values[0]] : values;

    /// <summary>NVIDIA's name of a pytorch-fid state-dict key (not γ, which NVIDIA's file does not have).</summary>
    internal static string NameOf(string pytorchFidKey)
    {
        if (pytorchFidKey == "fc.weight") return "output.weight";
        if (pytorchFidKey == "fc.bias") return "output.bias";
        int dot = pytorchFidKey.IndexOf('.', StringComparison.Ordinal);
        string module = pytorchFidKey[..dot];
        string rest = pytorchFidKey[(dot + 1)..];
        foreach (var (pytorchFid, nvidia) in Stem)
        {
            if (module == pytorchFid) return $"{nvidia}.{Parameters[rest]}";
        }
        string block = Blocks[module];
        int branchEnd = rest.IndexOf('.', StringComparison.Ordinal);
        string branch = rest[..branchEnd];
        string parameter = Parameters[rest[(branchEnd + 1)..]];
        var branches = module switch
        {
            "Mixed_5b" or "Mixed_5c" or "Mixed_5d" => InceptionA,
            "Mixed_6a" => InceptionB,
            "Mixed_7a" => InceptionD,
            "Mixed_7b" or "Mixed_7c" => InceptionE,
            _ => InceptionC,
        };
        return $"{block}.{branches[branch]}.{parameter}";
    }

    private static float[] Ones(int count)
    {
        var values = new float[count];
        Array.Fill(values, 1f);
        return values;
    }
}
