using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

/// <summary>SSIM, MS-SSIM and PSNR against the scikit-image / pytorch-msssim goldens, every pair.</summary>
public sealed class PixelMetricParityTests
{
    [Theory]
    [MemberData(nameof(PixelMetricGoldens.Ids), MemberType = typeof(PixelMetricGoldens))]
    public void SsimGaussianMatchesScikitImageWang(string id)
    {
        var p = PixelMetricGoldens.Get(id);
        if (ExpectError(p, "skimage_wang", () => Ssim.Compute(p.Reference, p.Distorted, SsimWindow.Gaussian))) return;
        // Tier: float64 summation order, 1e-10 abs (issue 2 asks 1e-7; measured max 4.7e-15 over the 24 pairs).
        Tolerance.Close(p.Get("skimage_wang")!.Value, Ssim.Compute(p.Reference, p.Distorted, SsimWindow.Gaussian), 1e-10, 0, $"SSIM wang {id}");
    }

    [Theory]
    [MemberData(nameof(PixelMetricGoldens.Ids), MemberType = typeof(PixelMetricGoldens))]
    public void SsimUniformMatchesScikitImageDefault(string id)
    {
        var p = PixelMetricGoldens.Get(id);
        if (ExpectError(p, "skimage_default", () => Ssim.Compute(p.Reference, p.Distorted, SsimWindow.Uniform))) return;
        // Tier: float64 summation order, 1e-10 abs (issue 2 asks 1e-7; measured max 2.1e-14: scipy's running-sum
        // uniform filter vs direct taps).
        Tolerance.Close(p.Get("skimage_default")!.Value, Ssim.Compute(p.Reference, p.Distorted, SsimWindow.Uniform), 1e-10, 0, $"SSIM uniform {id}");
    }

    [Theory]
    [MemberData(nameof(PixelMetricGoldens.Ids), MemberType = typeof(PixelMetricGoldens))]
    public void SingleScaleMatchesPytorchMsssimFloat64(string id)
    {
        var p = PixelMetricGoldens.Get(id);
        // pytorch-msssim leaves a side shorter than the window unsmoothed (with a warning); we do not model that.
        if (Math.Min(p.Reference.Width, p.Reference.Height) < 11 || p.Get("msssim_ssim_float64") is null) return;
        // Tier: float64 summation order, 1e-10 abs (measured max 4.4e-16), given the reference's exact float32 window;
        // a one-ulp different window shifts this by up to ~5e-6, so this test pins the window.
        Tolerance.Close(p.Get("msssim_ssim_float64")!.Value, MsSsim.SingleScale(p.Reference, p.Distorted), 1e-10, 0, $"msssim ssim f64 {id}");
    }

    [Theory]
    [MemberData(nameof(PixelMetricGoldens.Ids), MemberType = typeof(PixelMetricGoldens))]
    public void MsSsimMatchesPytorchMsssimFloat64(string id)
    {
        var p = PixelMetricGoldens.Get(id);
        double? expected = p.Get("msssim_ms_ssim_float64");
        if (expected is null)
        {
            // The reference asserts min side > 160: we raise a clear error instead.
            var e = Assert.Throws<GenMetricsException>(() => MsSsim.Compute(p.Reference, p.Distorted));
            Assert.Contains("> 160", e.Message, StringComparison.Ordinal);
            return;
        }
        // Tier: float64 summation order, 1e-10 abs against the float64 golden (issue 2 asks 1e-6; measured max 2.2e-16).
        Tolerance.Close(expected.Value, MsSsim.Compute(p.Reference, p.Distorted), 1e-10, 0, $"MS-SSIM f64 {id}");
        // Tier: 5e-5 abs against the float32 golden (measured max 3.2e-6): the reference's own float32-vs-float64
        // spread is up to 1.4e-5 (fixtures README §5).
        Tolerance.Close(p.Get("msssim_ms_ssim")!.Value, MsSsim.Compute(p.Reference, p.Distorted), 5e-5, 0, $"MS-SSIM f32 {id}");
    }

    [Theory]
    [MemberData(nameof(PixelMetricGoldens.Ids), MemberType = typeof(PixelMetricGoldens))]
    public void PsnrMatchesScikitImage(string id)
    {
        var p = PixelMetricGoldens.Get(id);
        // Tier: 1e-10 dB abs (issue 2 asks 1e-6; measured 0): the MSE is an exact integer ratio, only log10 may round differently.
        Tolerance.Close(p.Get("psnr")!.Value, Psnr.Compute(p.Reference, p.Distorted), 1e-10, 0, $"PSNR {id}");
    }

    /// <summary>A null golden means the reference raised (image smaller than the window): we must raise a user error.</summary>
    private static bool ExpectError(PixelMetricGoldens.Pair p, string key, Func<double> compute)
    {
        if (p.Get(key) is not null) return false;
        Assert.Throws<GenMetricsException>(() => compute());
        return true;
    }
}
