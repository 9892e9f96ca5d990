using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Networks;
using Xunit.Abstractions;
using static GenMetrics.Tests.Features.InceptionFeatures;

namespace GenMetrics.Tests.Features;

/// <summary>
/// FID Inception-v3 features against the reference tools' goldens, per image and per layer.
/// Tier "network-float32": atol 2e-4 + rtol 1e-4. The float32 noise floor of this network against float64 is
/// 1.9e-4 max abs (fixtures README §5); an independent float32 implementation (ONNX Runtime's kernels, fused
/// BatchNorm) with bit-exact preprocessing lands within that of PyTorch's float32 result (measured ≤ 1.1e-4 on
/// every golden, docs/features.md); 2e-4 is below the 1e-4 × feature scale (3.05) target.
/// Logits are a 2048-term dot product of pool3 with |w| up to ~0.3 on a [-25, 20] scale: atol 2e-3.
/// </summary>
public sealed class FeatureParityTests(ITestOutputHelper output)
{
    private const double FeatureAtol = 2e-4;
    private const double FeatureRtol = 1e-4;
    private const double LogitAtol = 2e-3;

    [Theory]
    [InlineData(FidInceptionLayer.Block64, "d64")]
    [InlineData(FidInceptionLayer.Block192, "d192")]
    [InlineData(FidInceptionLayer.Block768, "d768")]
    [InlineData(FidInceptionLayer.Pool3, "d2048")]
    public void PytorchFidSetAMatchesGolden(FidInceptionLayer layer, string suffix)
    {
        FeatureSet set = Of(KnownProtocols.PytorchFid, "set_a");
        double[] expected = Golden("golden", "fid", $"features_set_a_{suffix}.npy");
        double[] actual = ToDouble(set[layer].Values);
        var (max, rel) = Distance(actual, expected);
        output.WriteLine($"pytorch-fid set_a {suffix}: max |diff| {max:E3}, rel Frobenius {rel:E3}");
        // tier network-float32 (see class remarks)
        Tolerance.AllClose(expected, actual, FeatureAtol, FeatureRtol, $"pytorch-fid set_a {suffix}");
    }

    [Theory]
    [InlineData(FidInceptionLayer.Block64, "64", FeatureAtol)]
    [InlineData(FidInceptionLayer.Block192, "192", FeatureAtol)]
    [InlineData(FidInceptionLayer.Block768, "768", FeatureAtol)]
    [InlineData(FidInceptionLayer.Pool3, "2048", FeatureAtol)]
    [InlineData(FidInceptionLayer.Logits, "logits", LogitAtol)]
    [InlineData(FidInceptionLayer.LogitsUnbiased, "logits_unbiased", LogitAtol)]
    public void TorchFidelitySetBMatchesGolden(FidInceptionLayer layer, string suffix, double atol)
    {
        FeatureSet set = Of(KnownProtocols.TorchFidelity, "set_b");
        double[] expected = Golden("golden", "fid_tf", $"features_set_b_{suffix}.npy");
        double[] actual = ToDouble(set[layer].Values);
        var (max, rel) = Distance(actual, expected);
        output.WriteLine($"torch-fidelity set_b {suffix}: max |diff| {max:E3}, rel Frobenius {rel:E3}");
        // tier network-float32 (features) / network-logits (see class remarks)
        Tolerance.AllClose(expected, actual, atol, FeatureRtol, $"torch-fidelity set_b {suffix}");
    }

    [Fact]
    public void CleanPytorchInceptionSetAMatchesGolden()
    {
        FeatureSet set = Of(KnownProtocols.CleanPytorchInception, "set_a");
        double[] expected = Golden("golden", "clean", "features_clean_set_a.npy");
        double[] actual = ToDouble(set[FidInceptionLayer.Pool3].Values);
        var (max, rel) = Distance(actual, expected);
        output.WriteLine($"clean set_a pool3: max |diff| {max:E3}, rel Frobenius {rel:E3}");
        // tier network-float32 (see class remarks)
        Tolerance.AllClose(expected, actual, FeatureAtol, FeatureRtol, "clean set_a pool3");
    }

    [Fact]
    public void OddImagesMatchGoldenForPytorchFidAndTorchFidelity()
    {
        // The network input is the decode golden (Pillow's pixels), as the fixtures README advises for JPEGs:
        // this test is about odd sizes (1x1, 17x33, 1000x40...) through the resize kernels and the network.
        string[] stems = Directory.GetFiles(Fixtures.Path("golden", "decode"), "*.npy")
            .Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray();
        double worstFid = 0, worstTf = 0, worstLogits = 0;
        foreach (string stem in stems)
        {
            var decoded = GenMetrics.Checkpoints.NpyFile.Read(Fixtures.Path("golden", "decode", $"{stem}.npy"));
            FeatureSet fid = PreparedFeatures(KnownProtocols.PytorchFid, decoded);
            FeatureSet tf = PreparedFeatures(KnownProtocols.TorchFidelity, decoded);
            double[] fidExpected = Golden("golden", "fid", "odd", $"{stem}_d2048.npy");
            double[] tfExpected = Golden("golden", "fid_tf", "odd", $"{stem}_2048.npy");
            double[] tfLogits = Golden("golden", "fid_tf", "odd", $"{stem}_logits.npy");
            double[] fidActual = ToDouble(fid[FidInceptionLayer.Pool3].Row(0));
            double[] tfActual = ToDouble(tf[FidInceptionLayer.Pool3].Row(0));
            double[] logitsActual = ToDouble(tf[FidInceptionLayer.Logits].Row(0));
            worstFid = Math.Max(worstFid, Distance(fidActual, fidExpected).MaxAbs);
            output.WriteLine($"{stem} {decoded.Shape[1]}x{decoded.Shape[0]}: pytorch-fid {Distance(fidActual, fidExpected).MaxAbs:E3} torch-fidelity {Distance(tfActual, tfExpected).MaxAbs:E3}");
            worstTf = Math.Max(worstTf, Distance(tfActual, tfExpected).MaxAbs);
            worstLogits = Math.Max(worstLogits, Distance(logitsActual, tfLogits).MaxAbs);
            // tier network-float32 / network-logits (see class remarks)
            Tolerance.AllClose(fidExpected, fidActual, FeatureAtol, FeatureRtol, $"pytorch-fid odd {stem}");
            Tolerance.AllClose(tfExpected, tfActual, FeatureAtol, FeatureRtol, $"torch-fidelity odd {stem}");
            Tolerance.AllClose(tfLogits, logitsActual, LogitAtol, FeatureRtol, $"torch-fidelity odd {stem} logits");
        }
        output.WriteLine($"odd ({stems.Length}): pytorch-fid pool3 max {worstFid:E3}, torch-fidelity pool3 max {worstTf:E3}, logits max {worstLogits:E3}");
    }

    private static FeatureSet PreparedFeatures(PreprocessingProtocol protocol, GenMetrics.Checkpoints.NpyArray hwc)
    {
        var input = new float[3 * 299 * 299];
        protocol.Prepare(hwc.Data, hwc.Shape[1], hwc.Shape[0], input);
        return For(protocol).ExtractPrepared([input]);
    }
}
