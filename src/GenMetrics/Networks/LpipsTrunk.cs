using GenMetrics.Checkpoints;
using GenMetrics.Onnx;

namespace GenMetrics.Networks;

/// <summary>
/// A torchvision <c>features</c> stack cut at the ReLU outputs LPIPS taps (<c>lpips/pretrained_networks.py</c>):
/// its convolutions (names and shapes as in the torchvision state dict), the channels of each tap, the smallest
/// input side it accepts, and the ONNX nodes from a scaled input to the taps.
/// </summary>
internal abstract class LpipsTrunk
{
    private int? _minimumInputSize;

    /// <summary>The LPIPS name of the trunk: alex, vgg or squeeze.</summary>
    public abstract string Name { get; }

    /// <summary>Human name of the torchvision architecture, for messages.</summary>
    public abstract string ArchitectureName { get; }

    /// <summary>Channels of each tap, in order (the lin layers' input channels).</summary>
    public abstract IReadOnlyList<int> TapChannels { get; }

    /// <summary>Every convolution the taps need, in network order.</summary>
    public abstract IReadOnlyList<ConvLayerSpec> ConvLayers { get; }

    /// <summary>
    /// Length along one axis of every tap for an input of <paramref name="inputLength"/> pixels along that axis;
    /// a value below 1 means PyTorch would refuse the input.
    /// </summary>
    public abstract int[] TapLengths(int inputLength);

    /// <summary>
    /// Smallest input side (height and width separately) for which every layer has at least one output
    /// position (alex 31, vgg 16, squeeze 17).
    /// </summary>
    public int MinimumInputSize => _minimumInputSize ??= FindMinimumInputSize();

    /// <summary>State-dict keys and shapes the trunk needs.</summary>
    public IEnumerable<KeyValuePair<string, int[]>> ExpectedShapes()
    {
        foreach (ConvLayerSpec conv in ConvLayers)
        {
            yield return new(conv.WeightKey, conv.WeightShape);
            yield return new(conv.BiasKey, conv.BiasShape);
        }
    }

    /// <summary>
    /// Validates <paramref name="weights"/> (every missing or misshaped key listed by name) and adds the
    /// convolution weights as float32 initializers named by their state-dict keys (float16 files are widened
    /// exactly, as <c>load_state_dict</c> does).
    /// </summary>
    public void AddInitializers(OnnxGraphBuilder builder, StateDict weights)
    {
        weights.Validate(ExpectedShapes(), ArchitectureName);
        foreach (ConvLayerSpec conv in ConvLayers)
        {
            builder.AddInitializer(conv.WeightKey, weights[conv.WeightKey].ToFloat32(),
                conv.OutChannels, conv.InChannels, conv.Kernel, conv.Kernel);
            builder.AddInitializer(conv.BiasKey, weights[conv.BiasKey].ToFloat32(), conv.OutChannels);
        }
    }

    /// <summary>Adds the trunk's nodes from <paramref name="input"/> (N×3×H×W, already scaled); returns the tap values.</summary>
    public abstract string[] AddTaps(OnnxGraphBuilder builder, string input);

    /// <summary>Conv (weights from the initializers <see cref="AddInitializers"/> added) followed by ReLU.</summary>
    protected static string ConvRelu(OnnxGraphBuilder builder, string input, ConvLayerSpec conv) =>
        builder.Relu(builder.Conv(input, conv.WeightKey, conv.BiasKey, [conv.Kernel, conv.Kernel],
            [conv.Stride, conv.Stride], [conv.Pad, conv.Pad, conv.Pad, conv.Pad]));

    /// <summary>Output length of <paramref name="conv"/> along one axis.</summary>
    protected static int Length(int input, ConvLayerSpec conv) =>
        input < 1 ? 0 : FeatureMapSize.Conv(input, conv.Kernel, conv.Stride, conv.Pad);

    /// <summary>Output length of an unpadded max pool along one axis.</summary>
    protected static int PoolLength(int input, int kernel, int stride, bool ceilMode) =>
        input < 1 ? 0 : FeatureMapSize.MaxPool(input, kernel, stride, ceilMode);

    private int FindMinimumInputSize()
    {
        for (int n = 1; n < 4096; n++)
        {
            if (TapLengths(n).All(length => length >= 1)) return n;
        }
        throw new InvalidOperationException($"{Name}: no input size up to 4096 fits the trunk");
    }
}
