using System.Security.Cryptography;
using System.Text.Json;
using GenMetrics.Checkpoints;
using GenMetrics.Cli;
using GenMetrics.Cli.Commands;
using GenMetrics.Metrics;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// Every verb, run in process with --json on the fixtures, prints one object that validates against
/// docs/genmetrics-result.schema.json and carries the envelope, settings and inputs; -o/--output writes the same
/// object to a file. Feature (.npy) and statistics (.npz) inputs keep it fast; two runs read images through the
/// Inception network (eval and features, on six images per set).
/// </summary>
public sealed class JsonResultSchemaTests
{
    private static string Golden(params string[] parts) => Fixtures.Path(["golden", .. parts]);

    private static readonly string[] FidTfJson = ["golden", "fid_tf", "fid_tf.json"];

    /// <summary>Runs a verb, asserts exit 0, validates stdout against the schema and checks the envelope.</summary>
    private static JsonElement RunJson(params string[] args)
    {
        var r = CliRunner.Run([.. args, "--json", "--quiet"]);
        Assert.True(r.ExitCode == 0, $"exit {r.ExitCode}: {r.Error}");
        var root = JsonDocument.Parse(r.Out).RootElement.Clone();
        ResultSchema.AssertValid(root, $"genmetrics {string.Join(' ', args)}");
        Assert.Equal(args[0], root.GetProperty("command").GetString());
        Assert.Equal(CliApplication.Version, root.GetProperty("genmetrics_version").GetString());
        return root;
    }

    private static List<(string Role, string Kind, int? Count)> Inputs(JsonElement root) =>
        [.. root.GetProperty("inputs").EnumerateArray().Select(i => (
            i.GetProperty("role").GetString()!, i.GetProperty("kind").GetString()!,
            i.TryGetProperty("count", out var c) ? c.GetInt32() : (int?)null))];

    [Fact]
    public void SchemaNamesEveryVerb()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(ResultSchema.FilePath));
        var names = schema.RootElement.GetProperty("properties").GetProperty("command").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
        Assert.Equal(CliApplication.Commands.Select(c => c.Name).ToHashSet(), names);
    }

    [Fact]
    public void FidOnFeaturesCarriesBothKeysSettingsAndInputs()
    {
        var j = RunJson("fid", Golden("fid", "features_set_a_d2048.npy"), Golden("fid", "features_set_b_d2048.npy"));
        Assert.Equal(j.GetProperty("fid").GetDouble(), j.GetProperty("frechet_inception_distance").GetDouble());
        Assert.Equal(2048, j.GetProperty("settings").GetProperty("dims").GetInt32());
        Assert.False(j.GetProperty("settings").TryGetProperty("network", out _)); // no image went through a network
        Assert.Equal([("real", "features", 64), ("fake", "features", 64)], Inputs(j));
    }

    [Fact]
    public void FidOnStatisticsLeavesUnknownCountsOut()
    {
        var j = RunJson("fid", Golden("fid", "stats_set_a_d64.npz"), Golden("fid", "stats_set_b_d64.npz"));
        Assert.False(j.TryGetProperty("n_real", out _));
        Assert.Equal([("real", "statistics", (int?)null), ("fake", "statistics", null)], Inputs(j));
    }

    [Fact]
    public void IsHasNoRealInput()
    {
        var j = RunJson("is", Golden("fid_tf", "features_set_b_logits_unbiased.npy"), "--protocol", "torch-fidelity");
        Assert.False(j.TryGetProperty("n_real", out _));
        Assert.Equal([("fake", "features", 64)], Inputs(j));
        Assert.Equal(j.GetProperty("is_mean").GetDouble(), j.GetProperty("inception_score_mean").GetDouble());
        var s = j.GetProperty("settings");
        Assert.Equal(MetricDefaults.InceptionScoreSplits, s.GetProperty("splits").GetInt32());
        Assert.Equal(MetricDefaults.Seed, s.GetProperty("seed").GetInt32());
        Assert.Equal(1008, s.GetProperty("dims").GetInt32());
    }

    [Fact]
    public void KidCarriesItsSubsetSettings()
    {
        var j = RunJson("kid", Golden("fid_tf", "features_set_a_2048.npy"), Golden("fid_tf", "features_set_b_2048.npy"),
            "--protocol", "torch-fidelity", "--subset-size", "32");
        Assert.Equal(j.GetProperty("kid_mean").GetDouble(), j.GetProperty("kernel_inception_distance_mean").GetDouble());
        Assert.Equal(32, j.GetProperty("settings").GetProperty("subset_size").GetInt32());
        Assert.Equal(MetricDefaults.KidSubsets, j.GetProperty("settings").GetProperty("subsets").GetInt32());
    }

    [Fact]
    public void PrdcFScoreIsTorchFidelitys()
    {
        var j = RunJson("prdc", Golden("fid_tf", "features_set_a_2048.npy"), Golden("fid_tf", "features_set_b_2048.npy"), "--protocol", "torch-fidelity");
        // Exact: precision and recall are exact fractions of 64 and f_score is the same float64 formula as torch-fidelity's.
        Assert.Equal(GoldenJson.Number(FidTfJson, "metrics", "all_default_k3", "result", "precision"), j.GetProperty("precision").GetDouble());
        Assert.Equal(GoldenJson.Number(FidTfJson, "metrics", "all_default_k3", "result", "f_score"), j.GetProperty("f_score").GetDouble());
        Assert.Equal(MetricDefaults.PrecisionRecallK, j.GetProperty("settings").GetProperty("precision_recall_k").GetInt32());
    }

    [Fact]
    public void FScoreMatchesTorchFidelityAtK5AndIsZeroWhenBothAreZero()
    {
        var k5 = new PrecisionRecallResult(GoldenJson.Number(FidTfJson, "metrics", "prc_k5", "result", "precision"),
            GoldenJson.Number(FidTfJson, "metrics", "prc_k5", "result", "recall"));
        Assert.Equal(GoldenJson.Number(FidTfJson, "metrics", "prc_k5", "result", "f_score"), k5.FScore); // same float64 formula: exact
        Assert.Equal(0, new PrecisionRecallResult(0, 0).FScore);
    }

    [Fact]
    public void EvalOnImagesReportsTheNetworkAndWritesTheSameObjectToOutput()
    {
        using var tmp = new TempDirectory();
        string real = SixImages(tmp, "real", "set_a", "a");
        string fake = SixImages(tmp, "fake", "set_b", "b");
        string weights = Fixtures.Path("weights", "fid_inception.pth");
        string resultFile = tmp.Path("result.json");
        var args = new[] { "eval", real, fake, "--metrics", "fid,is,kid,prdc", "--subset-size", "4", "--splits", "2", "--weights", weights,
            "--cache-dir", tmp.Path("cache"), "-o", resultFile };
        var j = RunJson(args);
        var s = j.GetProperty("settings");
        Assert.Equal("fid-inception-v3", s.GetProperty("network").GetString());
        Assert.Equal("pool3", s.GetProperty("layer").GetString());
        Assert.Equal("fid_inception.pth", s.GetProperty("weights_file").GetString());
        using (var stream = File.OpenRead(weights)) Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stream)), s.GetProperty("weights_sha256").GetString());
        Assert.Equal(GenMetrics.Features.FeatureExtractorOptions.DefaultBatchSize, s.GetProperty("batch_size").GetInt32());
        Assert.Equal("cpu", s.GetProperty("device").GetString());
        Assert.Equal([("real", "images", 6), ("fake", "images", 6)], Inputs(j));
        foreach (string key in new[] { "frechet_inception_distance", "inception_score_mean", "kernel_inception_distance_mean", "precision", "recall", "f_score", "density", "coverage" })
        {
            Assert.True(j.TryGetProperty(key, out _), key);
        }
        // The file holds the object printed on stdout, byte for byte (a second run reads the features from the cache).
        var printed = CliRunner.Run([.. args, "--json", "--quiet"]);
        Assert.Equal(printed.Out, File.ReadAllText(resultFile));
    }

    [Fact]
    public void FeaturesOnImagesReportsTheWeights()
    {
        using var tmp = new TempDirectory();
        string input = SixImages(tmp, "in", "set_a", "a");
        var j = RunJson("features", input, "--out", tmp.Path("f.npy"), "--layer", "64", "--weights", Fixtures.Path("weights", "fid_inception.pth"));
        Assert.Equal(64, j.GetProperty("settings").GetProperty("dims").GetInt32());
        Assert.Equal("fid_inception.pth", j.GetProperty("settings").GetProperty("weights_file").GetString());
        Assert.Equal([("input", "images", 6)], Inputs(j));
    }

    [Fact]
    public void StatsAndMergeStats()
    {
        using var tmp = new TempDirectory();
        var a = RunJson("stats", Golden("fid", "features_set_a_d64.npy"), "-o", tmp.Path("a.npz"));
        Assert.Equal([("input", "features", 64)], Inputs(a));
        RunJson("stats", Golden("fid", "features_set_b_d64.npy"), "-o", tmp.Path("b.npz"));
        var merged = RunJson("merge-stats", tmp.Path("a.npz"), tmp.Path("b.npz"), "-o", tmp.Path("ab.npz"));
        Assert.Equal(128, merged.GetProperty("n").GetInt32());
        Assert.Equal([("shard", "statistics", (int?)null), ("shard", "statistics", null)], Inputs(merged));
        // -o is the statistics file for these verbs: the result is on stdout only.
        Assert.True(File.Exists(tmp.Path("ab.npz")));
    }

    [Fact]
    public void MergeFeatures()
    {
        using var tmp = new TempDirectory();
        for (int i = 0; i < 2; i++)
        {
            string path = tmp.Path($"part{i}.npy");
            NpyFile.Write(path, NpyArray.FromFloat32(Enumerable.Range(0, 3 * 4).Select(v => (float)(v + i)).ToArray(), 3, 4));
            new ShardInfo("features", i, 2, 3 * i, 3 * i + 3, 6, "fingerprint", "pytorch-fid", "pool3", new string('0', 64)).Write(path);
        }
        var j = RunJson("merge-features", tmp.Path("part0.npy"), tmp.Path("part1.npy"), "-o", tmp.Path("all.npy"));
        Assert.Equal(6, j.GetProperty("images").GetInt32());
        Assert.Equal([("shard", "features", 3), ("shard", "features", 3)], Inputs(j));
    }

    [Fact]
    public void PairMetricsPutSettingsUnderSettings()
    {
        string Pair(string name) => Fixtures.Path("images", "pairs", name);
        var ssim = RunJson("ssim", Pair("01_ref.png"), Pair("01_dist.png"));
        Assert.Equal("gaussian", ssim.GetProperty("settings").GetProperty("window").GetString());
        Assert.Equal([("ref", "images", 1), ("dist", "images", 1)], Inputs(ssim));
        var msssim = RunJson("ms-ssim", Pair("07_ref.png"), Pair("07_dist.png"));
        Assert.Equal(5, msssim.GetProperty("settings").GetProperty("weights").GetArrayLength());
        var lpips = RunJson("lpips", Pair("01_ref.png"), Pair("01_dist.png"), "--backbone-weights", Fixtures.Path("weights", "alexnet_features.pth"));
        Assert.Equal("alex", lpips.GetProperty("settings").GetProperty("net").GetString());
    }

    [Fact]
    public void PsnrOfIdenticalImagesIsTheInfinityString()
    {
        string pair = Fixtures.Path("images", "pairs", "09_");
        var j = RunJson("psnr", pair + "ref.png", pair + "dist.png");
        Assert.Equal("Infinity", j.GetProperty("value").GetString());
        Assert.Equal("Infinity", j.GetProperty("dataset_psnr").GetString());
        Assert.Equal("Infinity", j.GetProperty("per_pair")[0].GetProperty("value").GetString());
    }

    [Fact]
    public void WeightsListAndInspect()
    {
        var list = RunJson("weights");
        Assert.Empty(Inputs(list));
        var inspect = RunJson("weights", "--inspect", Fixtures.Path("weights", "format_zip_small.pth"));
        Assert.Equal([("input", "checkpoint", (int?)null)], Inputs(inspect));
    }

    [Fact]
    public void OutputWithoutJsonPrintsTextAndWritesTheResult()
    {
        using var tmp = new TempDirectory();
        string pair = Fixtures.Path("images", "pairs", "01_");
        var r = CliRunner.Run("ssim", pair + "ref.png", pair + "dist.png", "--output", tmp.Path("r.json"), "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("mean SSIM", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("{", r.Out, StringComparison.Ordinal);
        var written = JsonDocument.Parse(File.ReadAllText(tmp.Path("r.json"))).RootElement;
        ResultSchema.AssertValid(written, "ssim --output");
        Assert.Empty(Directory.GetFiles(tmp.Root, "*.tmp*")); // atomic: no temporary file left beside it
    }

    [Fact]
    public void OutputInAMissingFolderIsOneLineBeforeAnyWork()
    {
        using var tmp = new TempDirectory();
        var r = CliRunner.Run("fid", Golden("fid", "stats_set_a_d64.npz"), Golden("fid", "stats_set_b_d64.npz"), "-o", tmp.Path("no/such/r.json"));
        CliAssert.OneLineError(r, "does not exist");
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void SchemaRejectsAZeroRealCountAnotherInfinitySpellingAndUnknownKeys()
    {
        var valid = RunJson("is", Golden("fid_tf", "features_set_b_logits_unbiased.npy"), "--protocol", "torch-fidelity");
        Assert.NotEmpty(ResultSchema.Errors(With(valid, "n_real", 0)));
        Assert.NotEmpty(ResultSchema.Errors(With(valid, "is_mean", "inf")));
        Assert.NotEmpty(ResultSchema.Errors(With(valid, "isc_mean", 1.0)));
    }

    private static JsonElement With(JsonElement root, string key, object value)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(root.GetRawText())!.AsObject();
        node[key] = System.Text.Json.Nodes.JsonValue.Create(value);
        return JsonDocument.Parse(node.ToJsonString()).RootElement.Clone();
    }

    /// <summary>A folder of the first six images of a fixture set (the test's own copy, deleted with it).</summary>
    private static string SixImages(TempDirectory tmp, string name, string set, string prefix)
    {
        string folder = tmp.Path(name);
        Directory.CreateDirectory(folder);
        for (int i = 0; i < 6; i++)
        {
            string file = $"{prefix}_{i:D3}.png";
            File.Copy(Fixtures.Path("images", set, file), Path.Combine(folder, file));
        }
        return folder;
    }
}
