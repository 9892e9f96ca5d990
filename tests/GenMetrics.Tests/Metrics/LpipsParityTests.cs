using System.Text.Json;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

/// <summary>Every fixture pair against <c>golden/lpips/lpips.json</c> (PerceptualSimilarity at commit 082bb24).</summary>
public sealed class LpipsParityTests
{
    // Tier "float32 network": 1e-5 absolute, the bound. Values are 1e-4..8e-2; the C# graph runs the
    // same float32 operations as PyTorch but ONNX Runtime sums convolutions and means in another order.
    private const double NetworkAtol = 1e-5;

    private static readonly Lazy<JsonElement> Golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path("golden", "lpips", "lpips.json"))).RootElement);

    [Theory]
    [InlineData(LpipsNetwork.Alex)]
    [InlineData(LpipsNetwork.Vgg)]
    [InlineData(LpipsNetwork.Squeeze)]
    public void EveryPairMatchesTheReferenceWithItsLayerTerms(LpipsNetwork network)
    {
        Lpips lpips = LpipsFixture.Network(network);
        JsonElement expected = Golden.Value.GetProperty("values").GetProperty(LpipsFixture.NetName(network));
        var pairs = LpipsFixture.PairNumbers.Select(LpipsFixture.Pair).ToList();
        IReadOnlyList<LpipsDistance> actual = lpips.Compute(pairs);
        for (int i = 0; i < pairs.Count; i++)
        {
            string number = LpipsFixture.PairNumbers[i];
            JsonElement golden = expected.GetProperty(number);
            Tolerance.Close(golden.GetProperty("lpips").GetDouble(), actual[i].Value, NetworkAtol, 0, $"{network} pair {number}");
            double[] layers = [.. golden.GetProperty("per_layer").EnumerateArray().Select(e => e.GetDouble())];
            Assert.Equal(layers.Length, actual[i].LayerValues.Count);
            for (int l = 0; l < layers.Length; l++)
            {
                Tolerance.Close(layers[l], actual[i].LayerValues[l], NetworkAtol, 0, $"{network} pair {number} layer {l}");
            }
        }
    }

    [Fact]
    public void IdenticalPairIsExactlyZero()
    {
        // Pair 09 is op=identical; the reference gives exactly 0.0 (normalised features cancel bit for bit).
        var pair = LpipsFixture.Pair("09");
        Assert.Equal(0f, LpipsFixture.Network(LpipsNetwork.Alex).Distance(pair.Reference, pair.Distorted));
    }

    [Theory]
    [InlineData(LpipsNetwork.Alex, "01")]
    [InlineData(LpipsNetwork.Alex, "07")]
    [InlineData(LpipsNetwork.Vgg, "01")]
    [InlineData(LpipsNetwork.Vgg, "07")]
    [InlineData(LpipsNetwork.Squeeze, "01")]
    [InlineData(LpipsNetwork.Squeeze, "07")]
    public void SpatialMapMatchesTheReference(LpipsNetwork network, string number)
    {
        NpyArray golden = NpyFile.Read(Fixtures.Path("golden", "lpips", $"spatial_{LpipsFixture.NetName(network)}_{number}.npy"));
        var pair = LpipsFixture.Pair(number);
        LpipsDistance result = LpipsFixture.Network(network).Compute([pair], spatial: true)[0];
        Assert.Equal(golden.Shape, new[] { result.Height, result.Width });
        // Tier "float32 network" (1e-5 abs, see above) per pixel; the bilinear upsampling adds only float32 rounding.
        Tolerance.AllClose(golden.ToFloat32(), result.SpatialMap, NetworkAtol, 0, $"{network} spatial map {number}");
    }
}
