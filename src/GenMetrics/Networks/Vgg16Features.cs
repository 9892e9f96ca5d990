using GenMetrics.Onnx;

namespace GenMetrics.Networks;

/// <summary>
/// torchvision <c>vgg16().features[0:30]</c> (configuration D, no batch norm) with LPIPS's five taps:
/// relu1_2 = [0:4], relu2_2 = [4:9], relu3_3 = [9:16], relu4_3 = [16:23], relu5_3 = [23:30]
/// (64, 128, 256, 512, 512 channels). Every conv is 3×3 with padding 1; every pool is 2×2 stride 2 (floor).
/// </summary>
internal sealed class Vgg16Features : LpipsTrunk
{
    /// <summary>Conv layers per block, as (features index, out channels, in channels).</summary>
    private static readonly ConvLayerSpec[][] Blocks =
    [
        [Conv(0, 64, 3), Conv(2, 64, 64)],
        [Conv(5, 128, 64), Conv(7, 128, 128)],
        [Conv(10, 256, 128), Conv(12, 256, 256), Conv(14, 256, 256)],
        [Conv(17, 512, 256), Conv(19, 512, 512), Conv(21, 512, 512)],
        [Conv(24, 512, 512), Conv(26, 512, 512), Conv(28, 512, 512)],
    ];

    public static Vgg16Features Instance { get; } = new();

    public override string Name => "vgg";

    public override string ArchitectureName => "torchvision VGG16 features";

    public override IReadOnlyList<int> TapChannels { get; } = [64, 128, 256, 512, 512];

    public override IReadOnlyList<ConvLayerSpec> ConvLayers { get; } = [.. Blocks.SelectMany(block => block)];

    public override int[] TapLengths(int inputLength)
    {
        var lengths = new int[Blocks.Length];
        int length = inputLength;
        for (int block = 0; block < Blocks.Length; block++)
        {
            if (block > 0) length = PoolLength(length, 2, 2, ceilMode: false);
            lengths[block] = length;
        }
        return lengths;
    }

    public override string[] AddTaps(OnnxGraphBuilder builder, string input)
    {
        var taps = new string[Blocks.Length];
        string x = input;
        for (int block = 0; block < Blocks.Length; block++)
        {
            if (block > 0) x = builder.MaxPool(x, [2, 2], [2, 2]);
            foreach (ConvLayerSpec conv in Blocks[block]) x = ConvRelu(builder, x, conv);
            taps[block] = x;
        }
        return taps;
    }

    private static ConvLayerSpec Conv(int index, int outChannels, int inChannels) =>
        new($"features.{index}", outChannels, inChannels, 3, Pad: 1);
}
