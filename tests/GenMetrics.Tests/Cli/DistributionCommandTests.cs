using System.Text.Json;
using GenMetrics.Checkpoints;
using GenMetrics.Statistics;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Cli;

public sealed class DistributionCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("genmetrics-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static string Golden(params string[] parts) => Fixtures.Path(["golden", .. parts]);

    private string Temp(string name) => Path.Combine(_dir, name);

    private static JsonElement Json(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, r.Error);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    private static void AssertOneLineError(CliRunner.Result r, string fragment)
    {
        Assert.NotEqual(0, r.ExitCode);
        string line = r.Error.Trim();
        Assert.DoesNotContain('\n', line);
        Assert.Contains(fragment, line, StringComparison.Ordinal);
    }

    private string WriteMatrix(string name, double[] values, int rows, int columns)
    {
        string path = Temp(name);
        NpyFile.Write(path, NpyArray.FromFloat64(values, rows, columns));
        return path;
    }

    [Fact]
    public void FidJsonFromFeatureFiles()
    {
        var j = Json(CliRunner.Run("fid", Golden("fid", "features_set_a_d2048.npy"), Golden("fid", "features_set_b_d2048.npy"), "--json"));
        // Tier: n < d noise floor (README §5), 1e-3 absolute.
        Tolerance.Close(GoldenJson.Number(["golden", "fid", "fid.json"], "fid_set_a_vs_set_b", "d2048"), j.GetProperty("fid").GetDouble(), 1e-3, 0, "CLI FID");
        Assert.Equal("none", j.GetProperty("fid_safeguard").GetString());
        Assert.Equal(GenMetrics.Checkpoints.NpyFile.Read(Golden("fid", "features_set_a_d2048.npy")).Shape[0], j.GetProperty("n_real").GetInt32());
        Assert.Equal("pytorch-fid", j.GetProperty("protocol").GetString());
    }

    [Fact]
    public void TorchFidelityProtocolFid()
    {
        var j = Json(CliRunner.Run("fid", Golden("fid_tf", "features_set_a_2048.npy"), Golden("fid_tf", "features_set_b_2048.npy"), "--protocol", "torch-fidelity", "--json"));
        double expected = GoldenJson.Number(["golden", "fid_tf", "fid_tf.json"], "metrics", "all_default_k3", "result", "frechet_inception_distance");
        // Tier: n < d noise floor, 1e-3 absolute.
        Tolerance.Close(expected, j.GetProperty("fid").GetDouble(), 1e-3, 0, "CLI torch-fidelity FID");
    }

    [Fact]
    public void EpsilonSafeguardIsReported()
    {
        var j = Json(CliRunner.Run("fid", Golden("frechet", "d_eps_fallback_d64_stats1.npz"), Golden("frechet", "d_eps_fallback_d64_stats2.npz"), "--json"));
        bool taken = GoldenJson.Boolean(["golden", "frechet", "frechet.json"], "cases", "d_eps_fallback_d64", "pytorch_fid", "eps_offset_branch_taken");
        Assert.Equal(taken ? "diagonal_offset_1e-06" : "none", j.GetProperty("fid_safeguard").GetString());
        // Tier: full rank after ε, float64: 1e-6 relative.
        Tolerance.Close(GoldenJson.Number(["golden", "frechet", "frechet.json"], "cases", "d_eps_fallback_d64", "pytorch_fid", "value"), j.GetProperty("fid").GetDouble(), 0, 1e-6, "CLI eps FID");
    }

    [Fact]
    public void EvalComputesEveryMetricFromOneLoad()
    {
        string[] tf = ["golden", "fid_tf", "fid_tf.json"];
        string size = ((int)GoldenJson.Number(tf, "metrics", "all_default_k3", "kwargs_resolved", "kid_subset_size")).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var j = Json(CliRunner.Run("eval", Golden("fid_tf", "features_set_a_2048.npy"), Golden("fid_tf", "features_set_b_2048.npy"),
            "--logits", Golden("fid_tf", "features_set_b_logits_unbiased.npy"), "--subset-size", size, "--protocol", "torch-fidelity", "--json"));
        // Tiers: IS float64 1e-10 rel; KID float32 reference 1e-6 abs; P/R exact (float32 fractions).
        Tolerance.Close(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "inception_score_mean"), j.GetProperty("is_mean").GetDouble(), 0, 1e-10, "IS");
        Tolerance.Close(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "kernel_inception_distance_mean"), j.GetProperty("kid_mean").GetDouble(), 1e-6, 0, "KID");
        Assert.Equal(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "precision"), j.GetProperty("precision").GetDouble());
        Assert.Equal(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "recall"), j.GetProperty("recall").GetDouble());
        Assert.Equal(GoldenJson.Number(["golden", "prdc", "prdc.json"], "cases", "a_torch_fidelity_pool3", "prdc_k5", "density"), j.GetProperty("density").GetDouble());
        Assert.True(j.TryGetProperty("fid", out _));
    }

    [Fact]
    public void IsAndPrdcVerbs()
    {
        var isJson = Json(CliRunner.Run("is", Golden("fid_tf", "features_set_a_logits_unbiased.npy"), "--json"));
        // Tier: float64, 1e-10 relative.
        string[] isJsonFile = ["golden", "is", "is.json"];
        Tolerance.Close(GoldenJson.Number(isJsonFile, "values", "set_a_logits_unbiased", "torch_fidelity_splits10_shuffle_seed2020", "inception_score_mean"), isJson.GetProperty("is_mean").GetDouble(), 0, 1e-10, "IS set_a");
        var noShuffle = Json(CliRunner.Run("is", Golden("fid_tf", "features_set_b_logits_unbiased.npy"), "--no-shuffle", "--json"));
        Tolerance.Close(GoldenJson.Number(isJsonFile, "values", "set_b_logits_unbiased", "torch_fidelity_splits10_no_shuffle", "inception_score_mean"), noShuffle.GetProperty("is_mean").GetDouble(), 0, 1e-10, "IS set_b no shuffle");
        var p = Json(CliRunner.Run("prdc", Golden("prdc", "synthetic_real.npy"), Golden("prdc", "synthetic_fake.npy"), "--k", "3", "--json"));
        string[] prdcJson = ["golden", "prdc", "prdc.json"];
        Assert.Equal(GoldenJson.Number(prdcJson, "cases", "b_synthetic_gaussian", "prdc_k3", "density"), p.GetProperty("density").GetDouble());
        Assert.Equal(GoldenJson.Number(prdcJson, "cases", "b_synthetic_gaussian", "prdc_k3", "coverage"), p.GetProperty("coverage").GetDouble());
        Assert.Equal(GoldenJson.Number(prdcJson, "cases", "b_synthetic_gaussian", "torch_fidelity_k3", "precision"), p.GetProperty("precision").GetDouble());
    }

    [Fact]
    public void StatsRoundTripAndMerge()
    {
        var (x, n, d) = FeatureMatrix.Load("golden", "fid", "features_set_a_d64.npy");
        int half = n / 2 + 3;
        string first = WriteMatrix("first.npy", x[..(half * d)], half, d);
        string second = WriteMatrix("second.npy", x[(half * d)..], n - half, d);
        Assert.Equal(0, CliRunner.Run("stats", first, "--out", Temp("s1.npz"), "--quiet").ExitCode);
        Assert.Equal(0, CliRunner.Run("stats", second, "-o", Temp("s2.npz")).ExitCode);
        var r = CliRunner.Run("merge-stats", Temp("s1.npz"), Temp("s2.npz"), "-o", Temp("all.npz"));
        Assert.True(r.ExitCode == 0, r.Error);
        var merged = StatsFile.Read(Temp("all.npz"));
        var whole = FeatureMatrix.Statistics("golden", "fid", "features_set_a_d64.npy");
        Assert.Equal(n, merged.Count);
        Assert.Equal("pytorch-fid", merged.Provenance.Protocol);
        // Tier: merge of shards = one pass up to float64 rounding of the sums (1e-12 absolute on Σ entries ~0.1).
        Tolerance.AllClose(whole.Covariance, merged.Covariance, 1e-12, 1e-10, "merged sigma");
        Tolerance.AllClose(whole.Mean, merged.Mean, 1e-14, 1e-12, "merged mu");
        // The merged file is a pytorch-fid stats file: FID against set_b's pytorch-fid stats.
        var j = Json(CliRunner.Run("fid", Temp("all.npz"), Golden("fid", "stats_set_b_d64.npz"), "--json"));
        Tolerance.Close(GoldenJson.Number(["golden", "fid", "fid.json"], "fid_from_save_stats_npz", "d64"), j.GetProperty("fid").GetDouble(), 1e-3, 0, "FID merged stats");
    }

    [Fact]
    public void FewerThanTwoSamplesIsRefused()
    {
        string one = WriteMatrix("one.npy", new double[8], 1, 8);
        string two = WriteMatrix("two.npy", [1, 2, 3, 4, 5, 6, 7, 8, 8, 7, 6, 5, 4, 3, 2, 1], 2, 8);
        AssertOneLineError(CliRunner.Run("fid", one, two), "at least 2 samples");
        AssertOneLineError(CliRunner.Run("stats", one, "--out", Temp("x.npz")), "at least 2 samples");
        Assert.False(File.Exists(Temp("x.npz")));
    }

    [Fact]
    public void DimensionMismatchIsRefused()
    {
        AssertOneLineError(CliRunner.Run("fid", Golden("fid", "features_set_a_d64.npy"), Golden("fid", "features_set_b_d192.npy")), "dimension mismatch");
        AssertOneLineError(CliRunner.Run("prdc", Golden("fid", "features_set_a_d64.npy"), Golden("fid", "features_set_b_d192.npy")), "dimension mismatch");
        AssertOneLineError(CliRunner.Run("fid", Golden("fid", "features_set_a_d64.npy"), Golden("fid", "features_set_b_d64.npy"), "--dims", "2048"), "(option --dims)");
    }

    [Fact]
    public void NonFiniteFeaturesAreRefused()
    {
        var values = Enumerable.Range(0, 32).Select(i => (double)i).ToArray();
        values[9] = double.NaN;
        string bad = WriteMatrix("nan.npy", values, 4, 8);
        string good = WriteMatrix("good.npy", Enumerable.Range(0, 32).Select(i => (double)(i % 7)).ToArray(), 4, 8);
        AssertOneLineError(CliRunner.Run("kid", good, bad, "--subset-size", "2"), "NaN");
        AssertOneLineError(CliRunner.Run("fid", bad, good), "NaN");
    }

    [Fact]
    public void StatsFromDifferentProtocolsAreRefusedUnlessForced()
    {
        Assert.Equal(0, CliRunner.Run("stats", Golden("fid", "features_set_a_d64.npy"), "--out", Temp("pf.npz")).ExitCode);
        Assert.Equal(0, CliRunner.Run("stats", Golden("fid_tf", "features_set_b_64.npy"), "--out", Temp("tf.npz"), "--protocol", "torch-fidelity").ExitCode);
        AssertOneLineError(CliRunner.Run("fid", Temp("pf.npz"), Temp("tf.npz")), "(option --force)");
        AssertOneLineError(CliRunner.Run("merge-stats", Temp("pf.npz"), Temp("tf.npz"), "-o", Temp("m.npz")), "(option --force)");
        Assert.False(File.Exists(Temp("m.npz")));
        var forced = CliRunner.Run("fid", Temp("pf.npz"), Temp("tf.npz"), "--force", "--json");
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("warning", forced.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void KidSubsetLargerThanSetIsRefused()
    {
        AssertOneLineError(CliRunner.Run("kid", Golden("fid_tf", "features_set_a_2048.npy"), Golden("fid_tf", "features_set_b_2048.npy")), "(option --subset-size)");
    }

    [Fact]
    public void StatsFileInputsAreRefusedForPerSampleMetrics()
    {
        AssertOneLineError(CliRunner.Run("kid", Golden("fid", "stats_set_a_d64.npz"), Golden("fid", "stats_set_b_d64.npz")), "per-sample features");
    }

    [Fact]
    public void MissingAndUnsupportedInputs()
    {
        AssertOneLineError(CliRunner.Run("fid", Temp("nope.npy"), Temp("nope2.npy")), "file not found");
        File.WriteAllText(Temp("x.txt"), "hello");
        AssertOneLineError(CliRunner.Run("fid", Temp("x.txt"), Temp("x.txt")), "unsupported input");
        AssertOneLineError(CliRunner.Run("eval", Temp("x.txt"), Temp("x.txt"), "--metrics", "fid,bogus"), "unknown metric");
    }
}

public sealed class DistributionInputErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("genmetrics-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertOneLineError(CliRunner.Result r, string fragment)
    {
        Assert.NotEqual(0, r.ExitCode);
        string line = r.Error.Trim();
        Assert.DoesNotContain('\n', line);
        Assert.Contains(fragment, line, StringComparison.Ordinal);
    }

    [Fact]
    public void DamagedAndMalformedFilesAreOneLineErrors()
    {
        string good = Fixtures.Path("golden", "fid", "stats_set_a_d64.npz");
        string corrupt = Path.Combine(_dir, "corrupt.npz");
        File.WriteAllBytes(corrupt, [1, 2, 3, 4, 5]);
        AssertOneLineError(CliRunner.Run("fid", corrupt, good), "corrupt.npz");

        string noSigma = Path.Combine(_dir, "nosigma.npz");
        GenMetrics.Checkpoints.NpzFile.Write(noSigma, [new("mu", GenMetrics.Checkpoints.NpyArray.FromFloat64(new double[64], 64))]);
        AssertOneLineError(CliRunner.Run("fid", noSigma, good), "'mu' and 'sigma'");

        string vector = Path.Combine(_dir, "vector.npy");
        GenMetrics.Checkpoints.NpyFile.Write(vector, GenMetrics.Checkpoints.NpyArray.FromFloat64(new double[10], 10));
        AssertOneLineError(CliRunner.Run("prdc", vector, vector), "2-D feature matrix");

        AssertOneLineError(CliRunner.Run("merge-stats", good, Fixtures.Path("golden", "fid", "stats_set_b_d64.npz"), "-o", Path.Combine(_dir, "m.npz")), "cannot be merged");
        Assert.False(File.Exists(Path.Combine(_dir, "m.npz")));
    }

    [Fact]
    public void NonFiniteCovarianceIsRefusedByTheApi()
    {
        var s = new double[4] { 1, double.NaN, double.NaN, 1 };
        Assert.Throws<GenMetricsException>(() => GenMetrics.Metrics.FrechetDistance.Compute(new double[2], s, new double[2], new double[] { 1, 0, 0, 1 }));
    }

    [Fact]
    public void IsNeedsLogitsNotPool3()
    {
        AssertOneLineError(CliRunner.Run("is", Fixtures.Path("golden", "fid_tf", "features_set_a_2048.npy")), "logits");
        AssertOneLineError(CliRunner.Run("is", Fixtures.Path("golden", "fid_tf", "features_set_a_logits_unbiased.npy"), "--splits", "65"), "(option --splits)");
    }
}

public sealed class EvalDefaultMetricsTests
{
    [Fact]
    public void DefaultsFollowTheInputs()
    {
        var features = System.Text.Json.JsonDocument.Parse(CliRunner.Run("eval", Fixtures.Path("golden", "fid_tf", "features_set_a_2048.npy"),
            Fixtures.Path("golden", "fid_tf", "features_set_b_2048.npy"), "--subset-size", "32", "--json").Out).RootElement;
        Assert.True(features.TryGetProperty("fid", out _));
        Assert.True(features.TryGetProperty("kid_mean", out _));
        Assert.True(features.TryGetProperty("coverage", out _));
        Assert.False(features.TryGetProperty("is_mean", out _));
        var stats = CliRunner.Run("eval", Fixtures.Path("golden", "fid", "stats_set_a_d64.npz"), Fixtures.Path("golden", "fid", "features_set_b_d64.npy"), "--json");
        Assert.True(stats.ExitCode == 0, stats.Error);
        var j = System.Text.Json.JsonDocument.Parse(stats.Out).RootElement;
        Assert.True(j.TryGetProperty("fid", out _));
        Assert.False(j.TryGetProperty("kid_mean", out _));
    }
}
