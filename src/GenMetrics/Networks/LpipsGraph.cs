using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Onnx;

namespace GenMetrics.Networks;

/// <summary>
/// LPIPS v0.1 (<c>lpips.LPIPS(net, version='0.1')</c>, PerceptualSimilarity <c>lpips/lpips.py</c>) as one ONNX
/// graph over two N×3×H×W float32 inputs in [−1, 1]:
/// <list type="number">
/// <item>ScalingLayer <c>(x − shift)/scale</c>, shift = (−.030, −.088, −.188), scale = (.458, .448, .450);</item>
/// <item>the trunk's taps for both inputs (one set of weights);</item>
/// <item>per tap: <c>f̂ = f/(√Σ_c f² + 1e-10)</c> (ε outside the square root), <c>(f̂₀ − f̂₁)²</c>, the 1×1 lin
/// conv without bias, then the spatial mean (output <c>layer{l}</c>, N×1×1×1);</item>
/// <item><c>distance</c> = Σ_l layer_l, summed in layer order as the reference does;</item>
/// <item><c>map{l}</c>: each tap's lin map (N×1×h_l×w_l) for the spatial mode, which C# upsamples with PyTorch's
/// exact bilinear arithmetic (ONNX Runtime's Resize divides by a rounded out/in scale and drifts by up to
/// 1e-4 relative).</item>
/// </list>
/// Channel sums and spatial means are a 1×1 conv with unit weights and GlobalAveragePool rather than
/// ReduceSum/ReduceMean: ONNX Runtime picks a reduction order for those from the whole tensor shape, so a
/// pair's value would depend on the batch it runs in.
/// </summary>
internal static class LpipsGraph
{
    public const string ReferenceInput = "in0";
    public const string DistortedInput = "in1";
    public const string DistanceOutput = "distance";

    /// <summary>The reference's ScalingLayer buffers (float32 of the Python literals).</summary>
    public static readonly float[] Shift = [-.030f, -.088f, -.188f];
    public static readonly float[] Scale = [.458f, .448f, .450f];

    /// <summary>The ε of <c>normalize_tensor</c>, added to the channel norm.</summary>
    public const float NormEpsilon = 1e-10f;

    public static string LayerOutput(int layer) => string.Create(CultureInfo.InvariantCulture, $"layer{layer}");

    public static string MapOutput(int layer) => string.Create(CultureInfo.InvariantCulture, $"map{layer}");

    /// <summary>Builds the model bytes; <paramref name="linWeights"/>[l] has <c>trunk.TapChannels[l]</c> values.</summary>
    public static byte[] Build(LpipsTrunk trunk, StateDict trunkWeights, IReadOnlyList<float[]> linWeights)
    {
        if (linWeights.Count != trunk.TapChannels.Count)
        {
            throw new ArgumentException($"{trunk.Name}: {linWeights.Count} lin layers for {trunk.TapChannels.Count} taps", nameof(linWeights));
        }
        var builder = new OnnxGraphBuilder($"lpips_{trunk.Name}_v0.1");
        string in0 = builder.AddInput(ReferenceInput, "batch", "3", "height", "width");
        string in1 = builder.AddInput(DistortedInput, "batch", "3", "height", "width");
        trunk.AddInitializers(builder, trunkWeights);
        string shift = builder.AddInitializer("scaling.shift", Shift, 1, 3, 1, 1);
        string scale = builder.AddInitializer("scaling.scale", Scale, 1, 3, 1, 1);
        string epsilon = builder.Scalar(NormEpsilon);

        string[] taps0 = trunk.AddTaps(builder, builder.Div(builder.Sub(in0, shift), scale));
        string[] taps1 = trunk.AddTaps(builder, builder.Div(builder.Sub(in1, shift), scale));

        string? distance = null;
        for (int layer = 0; layer < taps0.Length; layer++)
        {
            int channels = trunk.TapChannels[layer];
            if (linWeights[layer].Length != channels)
            {
                throw new ArgumentException($"{trunk.Name}: lin{layer} has {linWeights[layer].Length} weights, expected {channels}", nameof(linWeights));
            }
            string lin = builder.AddInitializer(string.Create(CultureInfo.InvariantCulture, $"lin{layer}.model.1.weight"),
                linWeights[layer], 1, channels, 1, 1);
            string ones = builder.AddInitializer(string.Create(CultureInfo.InvariantCulture, $"channel_sum{layer}"),
                Enumerable.Repeat(1f, channels).ToArray(), 1, channels, 1, 1);
            string difference = builder.Sub(UnitNormalise(builder, taps0[layer], ones, epsilon), UnitNormalise(builder, taps1[layer], ones, epsilon));
            string weighted = builder.Conv(builder.Mul(difference, difference), lin, null, [1, 1]);
            string mean = builder.AddOutput(builder.GlobalAveragePool(weighted), LayerOutput(layer));
            distance = distance is null ? mean : builder.Add(distance, mean);
            builder.AddOutput(weighted, MapOutput(layer));
        }
        builder.AddOutput(distance!, DistanceOutput);
        return builder.ToModelBytes();
    }

    /// <summary><c>f/(√Σ_c f² + ε)</c> over the channel axis, as <c>lpips.normalize_tensor</c>.</summary>
    private static string UnitNormalise(OnnxGraphBuilder builder, string features, string ones, string epsilon)
    {
        string norm = builder.Sqrt(builder.Conv(builder.Mul(features, features), ones, null, [1, 1]));
        return builder.Div(features, builder.Add(norm, epsilon));
    }
}
