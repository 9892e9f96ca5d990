using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

/// <summary>The conformance set: stateless == stateful, batches == merged shards, determinism, identities, SIMD == scalar.</summary>
public sealed class PixelMetricConformanceTests
{
    private static IReadOnlyList<PixelMetricGoldens.Pair> Pairs => PixelMetricGoldens.Pairs;

    [Fact]
    public void IdentityGivesOneAndInfinity()
    {
        var p = PixelMetricGoldens.Get("07");
        Assert.Equal(1.0, Ssim.Compute(p.Reference, p.Reference), 12);
        Assert.Equal(1.0, Ssim.Compute(p.Reference, p.Reference, SsimWindow.Uniform), 12);
        Assert.Equal(1.0, MsSsim.Compute(p.Reference, p.Reference), 12);
        Assert.Equal(double.PositiveInfinity, Psnr.Compute(p.Reference, p.Reference));
    }

    [Fact]
    public void AccumulatorsEqualStatelessAndMergeOfShardsEqualsOnePass()
    {
        var selected = Pairs.Where(p => Math.Min(p.Reference.Width, p.Reference.Height) >= MsSsim.MinimumSide).Take(4).ToList();
        var ssim = new SsimAccumulator();
        var ms = new MsSsimAccumulator();
        var psnr = new PsnrAccumulator();
        foreach (var p in selected)
        {
            ssim.Update(p.Reference, p.Distorted);
            ms.Update(p.Reference, p.Distorted);
            psnr.Update(p.Reference, p.Distorted);
        }
        for (int i = 0; i < selected.Count; i++)
        {
            Assert.Equal(Ssim.Compute(selected[i].Reference, selected[i].Distorted), ssim.Values[i]);
            Assert.Equal(MsSsim.Compute(selected[i].Reference, selected[i].Distorted), ms.Values[i]);
            Assert.Equal(Psnr.Compute(selected[i].Reference, selected[i].Distorted), psnr.Values[i]);
        }
        var (s1, s2) = (new SsimAccumulator(), new SsimAccumulator());
        var (m1, m2) = (new MsSsimAccumulator(), new MsSsimAccumulator());
        var (p1, p2) = (new PsnrAccumulator(), new PsnrAccumulator());
        for (int i = 0; i < selected.Count; i++)
        {
            var (s, m, q) = i < 2 ? (s1, m1, p1) : (s2, m2, p2);
            s.Update(selected[i].Reference, selected[i].Distorted);
            m.Update(selected[i].Reference, selected[i].Distorted);
            q.Update(selected[i].Reference, selected[i].Distorted);
        }
        s1.Merge(s2);
        m1.Merge(m2);
        p1.Merge(p2);
        Assert.Equal(ssim.Compute(), s1.Compute());
        Assert.Equal(ms.Compute(), m1.Compute());
        Assert.Equal(psnr.Compute(), p1.Compute());
        Assert.Equal(psnr.ComputeDatasetLevel(), p1.ComputeDatasetLevel());
        ssim.Reset();
        psnr.Reset();
        Assert.Equal(0, ssim.Count);
        Assert.True(double.IsNaN(psnr.ComputeDatasetLevel()));
    }

    [Fact]
    public void PairEvaluationIsIndependentOfThreadCount()
    {
        using var dir = new GenMetrics.Tests.Imaging.ScratchFolder();
        var (refDir, distDir) = dir.PairFolders("03", "05", "10", "13", "22");
        using var pairs = ImagePairs.Open(refDir, distDir);
        var one = pairs.EvaluateInOrder((r, d) => Ssim.Compute(r, d), 1, 1).Select(x => x.Value).ToList();
        var many = pairs.EvaluateInOrder((r, d) => Ssim.Compute(r, d), 4, 2).Select(x => x.Value).ToList();
        Assert.Equal(one, many);
    }

    [Fact]
    public void GrayPairIsOneChannelAndItsValueEqualsTheThreeChannelMean()
    {
        var p = PixelMetricGoldens.Get("10");
        Assert.True(p.Reference.IsGray() && p.Distorted.IsGray());
        using var planes = PixelPairPlanes.From(p.Reference, p.Distorted);
        Assert.Equal(1, planes.Channels);
        double one = SsimKernel.Compute(planes.ReferencePlane(0), planes.DistortedPlane(0), planes.Width, planes.Height, SsimWindowWeights.ScikitGaussian, Ssim.C1, Ssim.C2).MeanSsim;
        // Three identical channels averaged: (v + v + v) / 3, equal to v within one rounding.
        Tolerance.Close(one, (one + one + one) / 3, 1e-15, 0, "gray channel mean");
        Assert.Equal(one, Ssim.Compute(p.Reference, p.Distorted));
    }

    [Theory]
    [InlineData(11, 11)]
    [InlineData(12, 13)]
    [InlineData(14, 11)]
    [InlineData(15, 20)]
    [InlineData(19, 16)]
    [InlineData(23, 12)]
    public void KernelMatchesAPlainTwoDimensionalWindowSum(int width, int height)
    {
        var random = new Random(width * 31 + height);
        var x = Enumerable.Range(0, width * height).Select(_ => (double)random.Next(256)).ToArray();
        var y = x.Select(v => Math.Clamp(v + random.Next(-40, 41), 0, 255)).ToArray();
        foreach (var window in new[] { SsimWindowWeights.ScikitGaussian, SsimWindowWeights.ScikitUniform, SsimWindowWeights.PytorchMsssimGaussian })
        {
            var sums = SsimKernel.Compute(x, y, width, height, window, Ssim.C1, Ssim.C2);
            var (ssim, cs, count) = Reference(x, y, width, height, window);
            Assert.Equal(count, sums.Count);
            // Tier: 1e-12 relative: same formula, different summation order.
            Tolerance.Close(ssim, sums.Ssim, 0, 1e-12, "ssim sum");
            Tolerance.Close(cs, sums.ContrastStructure, 0, 1e-12, "cs sum");
        }
    }

    [Fact]
    public void AveragePoolPadsOddSidesInFront()
    {
        // 3x3 input, padding (1, 1): outputs cover rows/cols {-1,0} and {1,2}; divisor is always 4.
        double[] input = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        var output = new double[4];
        MsSsim.AveragePool2x2(input, 3, 3, output);
        Assert.Equal((2, 2), MsSsim.PooledSize(3, 3));
        Assert.Equal([1 / 4.0, (2 + 3) / 4.0, (4 + 7) / 4.0, (5 + 6 + 8 + 9) / 4.0], output);
        var even = new double[1];
        MsSsim.AveragePool2x2([1, 2, 3, 4], 2, 2, even);
        Assert.Equal((1, 1), MsSsim.PooledSize(2, 2));
        Assert.Equal([2.5], even);
    }

    private static (double Ssim, double Cs, long Count) Reference(double[] x, double[] y, int width, int height, SsimWindowWeights window)
    {
        int n = window.Size;
        double ssim = 0, cs = 0;
        long count = 0;
        for (int r = 0; r + n <= height; r++)
        {
            for (int c = 0; c + n <= width; c++)
            {
                double mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < n; j++)
                    {
                        double w = window.Taps[i] * window.Taps[j];
                        double a = x[(r + i) * width + c + j], b = y[(r + i) * width + c + j];
                        mx += w * a;
                        my += w * b;
                        mxx += w * a * a;
                        myy += w * b * b;
                        mxy += w * a * b;
                    }
                }
                double k = window.CovarianceNorm;
                double vx = k * (mxx - mx * mx), vy = k * (myy - my * my), vxy = k * (mxy - mx * my);
                double l = (2 * mx * my + Ssim.C1) / (mx * mx + my * my + Ssim.C1);
                double s = (2 * vxy + Ssim.C2) / (vx + vy + Ssim.C2);
                ssim += l * s;
                cs += s;
                count++;
            }
        }
        return (ssim, cs, count);
    }
}
