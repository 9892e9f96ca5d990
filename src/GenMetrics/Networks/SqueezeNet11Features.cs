using GenMetrics.Onnx;

namespace GenMetrics.Networks;

/// <summary>
/// torchvision <c>squeezenet1_1().features</c> with LPIPS's seven taps: relu1 = [0:2], [2:5], [5:8], [8:10],
/// [10], [11], [12] (64, 128, 256, 384, 384, 512, 512 channels). The max pools (indices 2, 5, 8) are 3×3
/// stride 2 with <c>ceil_mode=True</c>. A Fire module is
/// <c>s = relu(squeeze1x1(x)); cat(relu(expand1x1(s)), relu(expand3x3(s, pad 1)))</c> along channels.
/// </summary>
internal sealed class SqueezeNet11Features : LpipsTrunk
{
    private static readonly ConvLayerSpec Conv0 = new("features.0", 64, 3, 3, Stride: 2);

    private static readonly FireModule[] Fires =
    [
        new(3, 64, 16, 64), new(4, 128, 16, 64),
        new(6, 128, 32, 128), new(7, 256, 32, 128),
        new(9, 256, 48, 192), new(10, 384, 48, 192),
        new(11, 384, 64, 256), new(12, 512, 64, 256),
    ];

    public static SqueezeNet11Features Instance { get; } = new();

    public override string Name => "squeeze";

    public override string ArchitectureName => "torchvision SqueezeNet 1.1 features";

    public override IReadOnlyList<int> TapChannels { get; } = [64, 128, 256, 384, 384, 512, 512];

    public override IReadOnlyList<ConvLayerSpec> ConvLayers { get; } =
        [Conv0, .. Fires.SelectMany(f => new[] { f.Squeeze, f.Expand1x1, f.Expand3x3 })];

    public override int[] TapLengths(int inputLength)
    {
        int relu1 = Length(inputLength, Conv0);
        int relu2 = PoolLength(relu1, 3, 2, ceilMode: true);
        int relu3 = PoolLength(relu2, 3, 2, ceilMode: true);
        int relu4 = PoolLength(relu3, 3, 2, ceilMode: true);
        return [relu1, relu2, relu3, relu4, relu4, relu4, relu4];
    }

    public override string[] AddTaps(OnnxGraphBuilder builder, string input)
    {
        string relu1 = ConvRelu(builder, input, Conv0);
        string relu2 = Fire(builder, Fire(builder, Pool(builder, relu1), Fires[0]), Fires[1]);
        string relu3 = Fire(builder, Fire(builder, Pool(builder, relu2), Fires[2]), Fires[3]);
        string relu4 = Fire(builder, Pool(builder, relu3), Fires[4]);
        string relu5 = Fire(builder, relu4, Fires[5]);
        string relu6 = Fire(builder, relu5, Fires[6]);
        string relu7 = Fire(builder, relu6, Fires[7]);
        return [relu1, relu2, relu3, relu4, relu5, relu6, relu7];
    }

    private static string Pool(OnnxGraphBuilder builder, string x) => builder.MaxPool(x, [3, 3], [2, 2], ceilMode: true);

    private static string Fire(OnnxGraphBuilder builder, string x, FireModule fire)
    {
        string squeezed = ConvRelu(builder, x, fire.Squeeze);
        return builder.Concat(1, ConvRelu(builder, squeezed, fire.Expand1x1), ConvRelu(builder, squeezed, fire.Expand3x3));
    }

    /// <summary>torchvision <c>Fire(inplanes, squeeze_planes, expand1x1_planes, expand3x3_planes)</c> at <c>features.{Index}</c>.</summary>
    private sealed record FireModule(int Index, int InChannels, int SqueezeChannels, int ExpandChannels)
    {
        public ConvLayerSpec Squeeze { get; } = new($"features.{Index}.squeeze", SqueezeChannels, InChannels, 1);

        public ConvLayerSpec Expand1x1 { get; } = new($"features.{Index}.expand1x1", ExpandChannels, SqueezeChannels, 1);

        public ConvLayerSpec Expand3x3 { get; } = new($"features.{Index}.expand3x3", ExpandChannels, SqueezeChannels, 3, Pad: 1);
    }
}
