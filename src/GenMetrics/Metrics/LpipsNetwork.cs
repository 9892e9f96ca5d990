namespace GenMetrics.Metrics;

/// <summary>The LPIPS trunk (<c>lpips.LPIPS(net=...)</c>).</summary>
public enum LpipsNetwork
{
    /// <summary>torchvision AlexNet features, 5 taps (<c>net='alex'</c>, the reference's default). Minimum input 31×31.</summary>
    Alex,

    /// <summary>torchvision VGG16 features, 5 taps (<c>net='vgg'</c>). Minimum input 16×16.</summary>
    Vgg,

    /// <summary>torchvision SqueezeNet 1.1 features, 7 taps (<c>net='squeeze'</c>). Minimum input 17×17.</summary>
    Squeeze,
}
