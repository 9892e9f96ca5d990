namespace GenMetrics.Networks;

/// <summary>
/// One square 2-D convolution with bias of a torchvision <c>features</c> stack, named by its state-dict prefix
/// (<c>features.3</c> → keys <c>features.3.weight</c> [Out, In, K, K] and <c>features.3.bias</c> [Out]).
/// </summary>
internal sealed record ConvLayerSpec(string Prefix, int OutChannels, int InChannels, int Kernel, int Stride = 1, int Pad = 0)
{
    public string WeightKey => Prefix + ".weight";

    public string BiasKey => Prefix + ".bias";

    public int[] WeightShape => [OutChannels, InChannels, Kernel, Kernel];

    public int[] BiasShape => [OutChannels];
}
