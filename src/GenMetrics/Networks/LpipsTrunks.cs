using GenMetrics.Metrics;

namespace GenMetrics.Networks;

/// <summary>The trunk of each <see cref="LpipsNetwork"/>.</summary>
internal static class LpipsTrunks
{
    public static LpipsTrunk For(LpipsNetwork network) => network switch
    {
        LpipsNetwork.Alex => AlexNetFeatures.Instance,
        LpipsNetwork.Vgg => Vgg16Features.Instance,
        LpipsNetwork.Squeeze => SqueezeNet11Features.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, "unknown LPIPS network"),
    };
}
