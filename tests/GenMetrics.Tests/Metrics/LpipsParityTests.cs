using System.Text.Json;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

/// <summary>Every fixture pair against <c>golden/lpips/lpips.json</c> (PerceptualSimilarity at commit 082bb24).</summary>
public sealed class LpipsParityTests
{
    // Tier "float32 network": 1e-5 absolute, the bound. The C# graph runs the same float32 operations as
    // PyTorch, but ONNX Runtime sums convolutions and means in another order (measured ≤ 9e-8 on the open tree).
    private const double NetworkAtol = 1e-5;

    public static TheoryData<string, string> SpatialCases()
    {
        // "alex_01" → (alex, 01): every spatial map the golden file lists.
        var cases = new TheoryData<string, string>();
        foreach (JsonProperty p in LpipsFixture.Golden.GetProperty("spatial").EnumerateObject())
        {
            string[] parts = p.Name.Split('_');
            cases.Add(parts[0], parts[1]);
        }
        return cases;
    }

    [Theory]
    [InlineData(LpipsNetwork.Alex)]
    [InlineData(LpipsNetwork.Vgg)]
    [InlineData(LpipsNetwork.Squeeze)]
    public void EveryPairMatchesTheReferenceWithItsLayerTerms(LpipsNetwork network)
    {
        Lpips lpips = LpipsFixture.Network(network);
        JsonElement expected = LpipsFixture.Golden.GetProperty("values").GetProperty(LpipsFixture.NetName(network));
        IReadOnlyList<string> numbers = LpipsFixture.PairNumbers(network);
        Assert.NotEmpty(numbers);
        var measurable = new List<string>();
        foreach (string number in numbers)
        {
            var (reference, distorted) = LpipsFixture.Pair(number);
            if (LpipsFixture.Expected(network, number) is null)
            {
                // The reference raised on this pair (e.g. an image below the trunk's minimum): so must we.
                Assert.Throws<GenMetricsException>(() => lpips.CheckPair(reference, distorted, number));
            }
            else
            {
                measurable.Add(number);
            }
        }
        IReadOnlyList<LpipsDistance> actual = lpips.Compute([.. measurable.Select(LpipsFixture.Pair)]);
        for (int i = 0; i < measurable.Count; i++)
        {
            string number = measurable[i];
            JsonElement golden = expected.GetProperty(number);
            Tolerance.Close(golden.GetProperty("lpips").GetDouble(), actual[i].Value, NetworkAtol, 0, $"{network} pair {number}");
            if (!golden.TryGetProperty("per_layer", out JsonElement perLayer)) continue;
            double[] layers = [.. perLayer.EnumerateArray().Select(e => e.GetDouble())];
            Assert.Equal(layers.Length, actual[i].LayerValues.Count);
            for (int l = 0; l < layers.Length; l++)
            {
                Tolerance.Close(layers[l], actual[i].LayerValues[l], NetworkAtol, 0, $"{network} pair {number} layer {l}");
            }
        }
    }

    [Fact]
    public void IdenticalImagesGiveExactlyZero()
    {
        // Normalised features cancel bit for bit; the reference's identical pair gives exactly 0.0 too.
        string number = LpipsFixture.MeasurablePairs(LpipsNetwork.Alex)[0];
        var pair = LpipsFixture.Pair(number);
        Assert.Equal(0f, LpipsFixture.Network(LpipsNetwork.Alex).Distance(pair.Reference, pair.Reference));
    }

    [Theory]
    [MemberData(nameof(SpatialCases))]
    public void SpatialMapMatchesTheReference(string net, string number)
    {
        LpipsNetwork network = LpipsFixture.AllNetworks.Single(n => LpipsFixture.NetName(n) == net);
        NpyArray golden = NpyFile.Read(Fixtures.Path("golden", "lpips", $"spatial_{net}_{number}.npy"));
        var pair = LpipsFixture.Pair(number);
        LpipsDistance result = LpipsFixture.Network(network).Compute([pair], spatial: true)[0];
        Assert.Equal(golden.Shape, new[] { result.Height, result.Width });
        // Tier "float32 network" (1e-5 abs, see above) per pixel; the C# upsampling repeats PyTorch's float32 arithmetic.
        Tolerance.AllClose(golden.ToFloat32(), result.SpatialMap, NetworkAtol, 0, $"{network} spatial map {number}");
    }
}
