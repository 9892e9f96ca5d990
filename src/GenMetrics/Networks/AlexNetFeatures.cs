using GenMetrics.Onnx;

namespace GenMetrics.Networks;

/// <summary>
/// torchvision <c>alexnet().features[0:12]</c> with LPIPS's five taps: relu1 = [0:2], relu2 = [2:5],
/// relu3 = [5:8], relu4 = [8:10], relu5 = [10:12] (64, 192, 384, 256, 256 channels). The trailing max pool
/// (index 12) and the classifier are not used.
/// </summary>
internal sealed class AlexNetFeatures : LpipsTrunk
{
    private static readonly ConvLayerSpec Conv0 = new("features.0", 64, 3, 11, Stride: 4, Pad: 2);
    private static readonly ConvLayerSpec Conv3 = new("features.3", 192, 64, 5, Pad: 2);
    private static readonly ConvLayerSpec Conv6 = new("features.6", 384, 192, 3, Pad: 1);
    private static readonly ConvLayerSpec Conv8 = new("features.8", 256, 384, 3, Pad: 1);
    private static readonly ConvLayerSpec Conv10 = new("features.10", 256, 256, 3, Pad: 1);

    public static AlexNetFeatures Instance { get; } = new();

    public override string Name => "alex";

    public override string ArchitectureName => "torchvision AlexNet features";

    public override IReadOnlyList<int> TapChannels { get; } = [64, 192, 384, 256, 256];

    public override IReadOnlyList<ConvLayerSpec> ConvLayers { get; } = [Conv0, Conv3, Conv6, Conv8, Conv10];

    public override int[] TapLengths(int inputLength)
    {
        int relu1 = Length(inputLength, Conv0);
        int relu2 = Length(PoolLength(relu1, 3, 2, ceilMode: false), Conv3);
        int relu3 = Length(PoolLength(relu2, 3, 2, ceilMode: false), Conv6);
        return [relu1, relu2, relu3, relu3, relu3];
    }

    public override string[] AddTaps(OnnxGraphBuilder builder, string input)
    {
        string relu1 = ConvRelu(builder, input, Conv0);
        string relu2 = ConvRelu(builder, builder.MaxPool(relu1, [3, 3], [2, 2]), Conv3);
        string relu3 = ConvRelu(builder, builder.MaxPool(relu2, [3, 3], [2, 2]), Conv6);
        string relu4 = ConvRelu(builder, relu3, Conv8);
        string relu5 = ConvRelu(builder, relu4, Conv10);
        return [relu1, relu2, relu3, relu4, relu5];
    }
}
