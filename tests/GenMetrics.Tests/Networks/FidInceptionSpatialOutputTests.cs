using System.Text;
using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Networks;
using static GenMetrics.Tests.Features.InceptionFeatures;

namespace GenMetrics.Tests.Networks;

/// <summary>The sFID tap of the FID Inception graph: present only when asked for, NHWC order, 2023 values.</summary>
public sealed class FidInceptionSpatialOutputTests
{
    private static byte[] Model(params FidInceptionLayer[] outputs)
    {
        StateDict weights = CheckpointReader.Read(WeightsPath);
        return FidInceptionV3.BuildModel(name => weights[name].ToFloat32(), outputs);
    }

    [Fact]
    public void SpatialNodesExistOnlyWhenRequested()
    {
        // The graph has no Transpose or Slice except the sFID tap's; the pruned pool3 model must not contain them.
        string pool3 = Encoding.Latin1.GetString(Model(FidInceptionLayer.Pool3));
        string both = Encoding.Latin1.GetString(Model(FidInceptionLayer.Pool3, FidInceptionLayer.Spatial));
        Assert.DoesNotContain("Transpose", pool3, StringComparison.Ordinal);
        Assert.DoesNotContain("\"spatial", pool3, StringComparison.Ordinal);
        Assert.Contains("Transpose", both, StringComparison.Ordinal);
        Assert.Contains("spatial", both, StringComparison.Ordinal);
        Assert.Equal(2023, FidInceptionLayerNames.DimensionsOf(FidInceptionLayer.Spatial));
        Assert.Equal(FidInceptionLayer.Spatial, FidInceptionLayerNames.Parse("spatial"));
    }

    [Fact]
    public void SpatialRowsAreNhwcOrderedAndDoNotChangeOtherOutputs()
    {
        // The spatial row is the NHWC flatten, element (h·17 + w)·7 + c, as the golden's rows; an NCHW flatten of the
        // same map (channel 0's 289 values first) would fail this element-wise comparison with set_a row 0.
        var decoded = GenMetrics.Imaging.ImageDecoder.Decode(Fixtures.Path("images", "set_a", "a_000.png"));
        var input = new float[3 * 299 * 299];
        KnownProtocols.Adm.Prepare(decoded.Pixels, decoded.Width, decoded.Height, input);
        using var extractor = new FeatureExtractor(new FeatureExtractorOptions
        {
            WeightsPath = WeightsPath,
            Protocol = KnownProtocols.Adm,
            Layers = [FidInceptionLayer.Pool3, FidInceptionLayer.Spatial],
            Threads = 2,
        });
        var set = extractor.ExtractPrepared([input]);
        double[] golden = Golden("golden", "adm", "spatial_set_a.npy");
        double[] row = ToDouble(set[FidInceptionLayer.Spatial].Values);
        Assert.Equal(2023, row.Length);
        // tier network-float32 (AdmFeatureParityTests)
        Tolerance.AllClose(golden.AsSpan(0, 2023), row, 2e-4, 1e-4, "spatial row 0");
        float[] pool3Only = For(KnownProtocols.TorchFidelity).ExtractPrepared([input])[FidInceptionLayer.Pool3].Values;
        // Same network and same input: the extra output changes nothing in pool3 (same kernels, same order).
        Assert.Equal(pool3Only, set[FidInceptionLayer.Pool3].Values);
    }
}
