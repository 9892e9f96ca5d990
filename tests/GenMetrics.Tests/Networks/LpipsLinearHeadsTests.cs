using System.Security.Cryptography;
using GenMetrics.Networks;

namespace GenMetrics.Tests.Networks;

public sealed class LpipsLinearHeadsTests
{
    [Theory]
    // SHA-256 of the published PerceptualSimilarity lpips/weights/v0.1 files (REFERENCES.md §2.11).
    [InlineData("alex", 6009, "df73285e35b22355a2df87cdb6b70b343713b667eddbda73e1977e0c860835c0")]
    [InlineData("vgg", 7289, "a78928a0af1e5f0fcb1f3b9e8f8c3a2a5a3de244d830ad5c1feddc79b8432868")]
    [InlineData("squeeze", 10811, "4a5350f23600cb79923ce65bb07cbf57dca461329894153e05a1346bd531cf76")]
    public void EmbeddedWeightsAreThePublishedFiles(string name, int bytes, string sha256)
    {
        using var stream = LpipsLinearHeads.Open(Trunk(name));
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        Assert.Equal(bytes, copy.Length);
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(copy.ToArray())));
    }

    [Theory]
    [InlineData("alex")]
    [InlineData("vgg")]
    [InlineData("squeeze")]
    public void LinWeightsLoadWithOneNonNegativeWeightPerTapChannel(string name)
    {
        LpipsTrunk trunk = Trunk(name);
        float[][] lin = LpipsLinearHeads.Load(trunk);
        Assert.Equal(trunk.TapChannels, lin.Select(w => w.Length));
        Assert.All(lin, layer => Assert.All(layer, w => Assert.True(w >= 0 && float.IsFinite(w))));
    }

    private static LpipsTrunk Trunk(string name) => name switch
    {
        "alex" => AlexNetFeatures.Instance,
        "vgg" => Vgg16Features.Instance,
        _ => SqueezeNet11Features.Instance,
    };
}
