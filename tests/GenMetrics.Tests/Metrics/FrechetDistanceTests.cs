using GenMetrics.Evaluation;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Numerics;

namespace GenMetrics.Tests.Metrics;

public sealed class FrechetDistanceTests
{
    private static readonly string[] FrechetJson = ["golden", "frechet", "frechet.json"];
    private static readonly string[] FidJson = ["golden", "fid", "fid.json"];

    private static readonly Lazy<(GenMetrics.Statistics.GaussianStatistics A, GenMetrics.Statistics.GaussianStatistics B)> SetStats2048 = new(() =>
        (FeatureMatrix.Statistics("golden", "fid", "features_set_a_d2048.npy"), FeatureMatrix.Statistics("golden", "fid", "features_set_b_d2048.npy")));

    [Fact]
    public void SetStatistics2048MatchPytorchFid()
    {
        var (a, b) = SetStats2048.Value;
        var r = FrechetDistance.Compute(a.Mean, a.Covariance, b.Mean, b.Covariance);
        double expected = GoldenJson.Number(FrechetJson, "cases", "a_set_stats_d2048", "pytorch_fid", "value");
        // Tier: n (64) < d (2048); the reference's sqrtm takes square roots of ~1985 rounding-noise eigenvalues
        // (fixtures README §5), a noise floor of ~1e-4..1e-3 absolute. We clamp that noise instead.
        Tolerance.Close(expected, r.Value, 1e-3, 0, "FID a_set_stats_d2048");
        Assert.Equal(ExpectedSafeguard("a_set_stats_d2048"), r.Safeguard);
        Assert.Equal(expected, GoldenJson.Number(FidJson, "fid_set_a_vs_set_b", "d2048"), 12);
    }

    [Fact]
    public void SetAgainstItselfIsNearZero()
    {
        var (a, _) = SetStats2048.Value;
        var r = FrechetDistance.Compute(a.Mean, a.Covariance, a.Mean, a.Covariance);
        double expected = GoldenJson.Number(FrechetJson, "cases", "a2_set_a_vs_itself_d2048", "pytorch_fid", "value");
        // Tier: n < d noise floor, as above (the reference's −4.0e-4 is that noise).
        Tolerance.Close(expected, r.Value, 1e-3, 0, "FID a2 set_a vs itself");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(192)]
    [InlineData(768)]
    public void SmallerLayersMatchPytorchFid(int dims)
    {
        var a = FeatureMatrix.Statistics("golden", "fid", $"features_set_a_d{dims}.npy");
        var b = FeatureMatrix.Statistics("golden", "fid", $"features_set_b_d{dims}.npy");
        var r = FrechetDistance.Compute(a.Mean, a.Covariance, b.Mean, b.Covariance);
        double expected = GoldenJson.Number(FidJson, "fid_set_a_vs_set_b", $"d{dims}");
        // Tier: n = 64 ≤ d, so rank-deficient covariances: the n < d absolute noise-floor tier (README §5).
        Tolerance.Close(expected, r.Value, 1e-3, 0, $"FID d{dims}");
    }

    [Theory]
    [InlineData(64)]
    [InlineData(192)]
    public void PytorchFidStatsFilesRead(int dims)
    {
        var a = GenMetrics.Statistics.StatsFile.Read(Fixtures.Path("golden", "fid", $"stats_set_a_d{dims}.npz"));
        var b = GenMetrics.Statistics.StatsFile.Read(Fixtures.Path("golden", "fid", $"stats_set_b_d{dims}.npz"));
        var r = FrechetDistance.Compute(a.Mean, a.Covariance, b.Mean, b.Covariance);
        double expected = GoldenJson.Number(FidJson, "fid_from_save_stats_npz", $"d{dims}");
        // Tier: rank-deficient (n = 64 ≤ d): absolute noise-floor tier.
        Tolerance.Close(expected, r.Value, 1e-3, 0, $"FID from pytorch-fid stats d{dims}");
    }

    [Theory]
    [InlineData("b_synthetic_full_rank_d2048", 1e-6, 0)]
    [InlineData("c_synthetic_rank_deficient_d2048", 1e-6, 1e-3)]
    public void SyntheticCasesMatchPytorchFid(string name, double rtol, double atol)
    {
        var (mu1, s1, mu2, s2, d) = Synthetic(name);
        var r = FrechetDistance.Compute(mu1, s1, mu2, s2);
        double expected = GoldenJson.Number(FrechetJson, "cases", name, "pytorch_fid", "value");
        // Tiers: full rank (b): float64 maths, 1e-6 relative. Rank 250 < 2048 (c): the reference also takes
        // square roots of ~1800 rounding-noise eigenvalues (README §5); that noise scales with ‖Σ1‖‖Σ2‖, here
        // 2.1e-3 absolute = 8e-8 relative, so the tier is 1e-3 absolute + 1e-6 relative.
        Tolerance.Close(expected, r.Value, atol, rtol, $"FID {name}");
        Assert.Equal(ExpectedSafeguard(name), r.Safeguard);
        Assert.Equal(d, mu1.Length);
    }

    [Fact]
    public void EpsilonFallbackCaseReproducesPytorchFid()
    {
        var a = GenMetrics.Statistics.StatsFile.Read(Fixtures.Path("golden", "frechet", "d_eps_fallback_d64_stats1.npz"));
        var b = GenMetrics.Statistics.StatsFile.Read(Fixtures.Path("golden", "frechet", "d_eps_fallback_d64_stats2.npz"));
        var r = FrechetDistance.Compute(a.Mean, a.Covariance, b.Mean, b.Covariance);
        double expected = GoldenJson.Number(FrechetJson, "cases", "d_eps_fallback_d64", "pytorch_fid", "value");
        Assert.Equal(ExpectedSafeguard("d_eps_fallback_d64"), r.Safeguard);
        // Tier: with ε = 1e-6 both matrices are full rank (64×64), float64 maths: 1e-6 relative. The no-ε value
        // (torch-fidelity 19.53759) differs by 1.4e-5 relative, so this tier tells the branches apart.
        Tolerance.Close(expected, r.Value, 0, 1e-6, "FID d_eps_fallback_d64");
    }

    [Fact]
    public void NonFailingCasesDoNotTakeTheEpsilonBranch()
    {
        var (a, b) = SetStats2048.Value;
        Assert.False(FrechetDistance.ReferenceSqrtmFails(a.Covariance, b.Covariance, a.Dimension));
        var a64 = GenMetrics.Statistics.StatsFile.Read(Fixtures.Path("golden", "fid", "stats_set_a_d64.npz"));
        var b64 = GenMetrics.Statistics.StatsFile.Read(Fixtures.Path("golden", "fid", "stats_set_b_d64.npz"));
        Assert.False(FrechetDistance.ReferenceSqrtmFails(a64.Covariance, b64.Covariance, 64));
    }

    /// <summary>The branch pytorch-fid recorded for a case (eps_offset_branch_taken).</summary>
    private static FrechetSafeguard ExpectedSafeguard(string name) =>
        GoldenJson.Boolean(FrechetJson, "cases", name, "pytorch_fid", "eps_offset_branch_taken") ? FrechetSafeguard.DiagonalOffset : FrechetSafeguard.None;

    internal static (double[] Mu1, double[] Sigma1, double[] Mu2, double[] Sigma2, int D) Synthetic(string name)
    {
        var z = NpzFile.Read(Fixtures.Path("golden", "frechet", name + "_samples.npz"));
        var (mu1, s1) = Moments(z["Y1"], z["m1"]);
        var (mu2, s2) = Moments(z["Y2"], z["m2"]);
        return (mu1, s1, mu2, s2, mu1.Length);
    }

    /// <summary>np.cov of concat([Y, −Y]) + m equals (Yallᵀ·Yall)·(1/(n−1)) exactly (integer sums are exact).</summary>
    private static (double[] Mu, double[] Sigma) Moments(NpyArray y, NpyArray m)
    {
        int half = y.Shape[0], d = y.Shape[1];
        var values = y.ToFloat64();
        var g = new double[d * d];
        MatrixProduct.MultiplyAdd(values, 0, d, true, values, 0, d, false, g, 0, d, d, d, half);
        int n = 2 * half;
        double scale = 1.0 / (n - 1);
        for (int i = 0; i < g.Length; i++) g[i] = 2 * g[i] * scale;
        return (m.ToFloat64(), g);
    }
}

public sealed class FrechetDeterminismTests
{
    [Fact]
    public void ResultDoesNotDependOnThreadCount()
    {
        var (mu1, s1, mu2, s2, _) = FrechetDistanceTests.Synthetic("c_synthetic_rank_deficient_d2048");
        var one = FrechetDistance.Compute(mu1, s1, mu2, s2, maxThreads: 1);
        var two = FrechetDistance.Compute(mu1, s1, mu2, s2, maxThreads: 2);
        Assert.Equal(one.Value, two.Value);
        Assert.Equal(one.Rank, two.Rank);
    }

    [Fact]
    public void FullRankResultIsBitIdenticalForOneAndTwoThreadsAndAcrossRuns()
    {
        var (mu1, s1, mu2, s2, d) = FrechetDistanceTests.Synthetic("b_synthetic_full_rank_d2048");
        var one = FrechetDistance.Compute(mu1, s1, mu2, s2, maxThreads: 1);
        var two = FrechetDistance.Compute(mu1, s1, mu2, s2, maxThreads: 2);
        var again = FrechetDistance.Compute(mu1, s1, mu2, s2, maxThreads: 2);
        Assert.Equal(d, one.Rank);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.Value), BitConverter.DoubleToInt64Bits(two.Value));
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.TraceSqrtProduct), BitConverter.DoubleToInt64Bits(two.TraceSqrtProduct));
        Assert.Equal(BitConverter.DoubleToInt64Bits(two.Value), BitConverter.DoubleToInt64Bits(again.Value));
        Assert.Equal(one.ClampedEigenvalues, two.ClampedEigenvalues);
    }

    [Fact]
    public void FidFromStatsFilesIsBitIdenticalForOneAndTwoThreads()
    {
        // The whole path of `genmetrics fid a.npz b.npz`: both files read (at the same time) and validated, then the
        // Fréchet distance, with the numerics limited to 1 and to 2 threads.
        var (mu1, s1, mu2, s2, d) = FrechetDistanceTests.Synthetic("b_synthetic_full_rank_d2048");
        using var dir = new TempDirectory();
        var provenance = new GenMetrics.Statistics.StatsProvenance("pytorch-fid", "test", "2048");
        GenMetrics.Statistics.StatsFile.Write(dir.Path("a.npz"), new GenMetrics.Statistics.GaussianStatistics(mu1, s1, provenance));
        GenMetrics.Statistics.StatsFile.Write(dir.Path("b.npz"), new GenMetrics.Statistics.GaussianStatistics(mu2, s2, provenance));
        var settings = new ImageFeatureSettings();
        var one = DistributionEvaluation.Evaluate(dir.Path("a.npz"), dir.Path("b.npz"), DistributionMetrics.Fid,
            new EvaluationOptions { MaxThreads = 1 }, settings).Fid!;
        var two = DistributionEvaluation.Evaluate(dir.Path("a.npz"), dir.Path("b.npz"), DistributionMetrics.Fid,
            new EvaluationOptions { MaxThreads = 2 }, settings).Fid!;
        Assert.Equal(d, one.Rank);
        Assert.Equal(BitConverter.DoubleToInt64Bits(one.Value), BitConverter.DoubleToInt64Bits(two.Value));
        // The path reuses Σ1's factor from the stats file's validation; the result is the bits of a fresh factorisation.
        var direct = FrechetDistance.Compute(mu1, s1, mu2, s2);
        Assert.Equal(BitConverter.DoubleToInt64Bits(direct.Value), BitConverter.DoubleToInt64Bits(one.Value));
        // And it is the golden value (full rank: float64 maths, 1e-6 relative).
        double expected = GoldenJson.Number(["golden", "frechet", "frechet.json"], "cases", "b_synthetic_full_rank_d2048", "pytorch_fid", "value");
        Tolerance.Close(expected, one.Value, 0, 1e-6, "FID b_synthetic_full_rank_d2048 from stats files");
    }

    [Fact]
    public void FullRankSymmetricCaseIsExactForDiagonalMatrices()
    {
        // Σ1 = diag(a), Σ2 = diag(b): tr√(Σ1Σ2) = Σ√(a_i b_i); FID = ‖μ1−μ2‖² + Σ(√a_i − √b_i)².
        int d = 300;
        var s1 = new double[d * d];
        var s2 = new double[d * d];
        var mu1 = new double[d];
        var mu2 = new double[d];
        double expected = 0;
        for (int i = 0; i < d; i++)
        {
            double a = 1 + i % 7, b = 2 + i % 5;
            s1[i * d + i] = a;
            s2[i * d + i] = b;
            mu1[i] = i * 0.01;
            expected += (Math.Sqrt(a) - Math.Sqrt(b)) * (Math.Sqrt(a) - Math.Sqrt(b)) + mu1[i] * mu1[i];
        }
        var r = FrechetDistance.Compute(mu1, s1, mu2, s2);
        // Tier: float64 maths on exact inputs: 1e-10 relative.
        Tolerance.Close(expected, r.Value, 1e-10, 1e-10, "diagonal FID");
        Assert.Equal(FrechetSafeguard.None, r.Safeguard);
    }
}
