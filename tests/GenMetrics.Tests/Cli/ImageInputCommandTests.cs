using GenMetrics.Features;
using System.Text.Json;
using GenMetrics.Evaluation;
using GenMetrics.Metrics;
using GenMetrics.Networks;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// Issue 4 done-when checks: FID straight from the image folders through the real network, both protocols,
/// and the feature cache (a second run extracts nothing). These run the Inception network (~10 s each).
/// </summary>
public sealed class ImageInputCommandTests : IDisposable
{
    private readonly string _cache = Directory.CreateTempSubdirectory("genmetrics-cache-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static string SetA => Fixtures.Path("images", "set_a");

    private static string SetB => Fixtures.Path("images", "set_b");

    private static string Weights => Fixtures.Path("weights", "fid_inception.pth");

    [Fact]
    public void PytorchFidFromImagesAndCacheHit()
    {
        var r = CliRunner.Run("fid", SetA, SetB, "--weights", Weights, "--json", "--quiet", "--cache-dir", _cache);
        Assert.True(r.ExitCode == 0, r.Error);
        double fid = JsonDocument.Parse(r.Out).RootElement.GetProperty("fid").GetDouble();
        // Tier: end to end with matching preprocessing, rel 1e-4 (float32 network noise floor, README §5).
        Tolerance.Close(GoldenJson.Number(["golden", "fid", "fid.json"], "fid_set_a_vs_set_b", "d2048"), fid, 0, 1e-4, "FID from images (pytorch-fid)");

        using var provider = new ImageFeatureProvider(new ImageFeatureSettings { WeightsPath = Weights, CacheDirectory = _cache }, KnownProtocols.PytorchFid);
        var cached = provider.Get(SetA, [FidInceptionLayer.Pool3]);
        Assert.Equal(0, provider.Extractions);
        Assert.Equal(Directory.GetFiles(SetA).Length, cached[FidInceptionLayer.Pool3].Rows);
    }

    [Fact]
    public void TorchFidelityProtocolFromImages()
    {
        var r = CliRunner.Run("eval", SetA, SetB, "--weights", Weights, "--protocol", "torch-fidelity", "--metrics", "fid,is,prdc",
            "--json", "--quiet", "--cache-dir", _cache);
        Assert.True(r.ExitCode == 0, r.Error);
        var j = JsonDocument.Parse(r.Out).RootElement;
        string[] tf = ["golden", "fid_tf", "fid_tf.json"];
        // Tier: end to end, rel 1e-4 (float32 network noise floor).
        Tolerance.Close(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "frechet_inception_distance"), j.GetProperty("fid").GetDouble(), 0, 1e-4, "FID from images (torch-fidelity)");
        Tolerance.Close(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "inception_score_mean"), j.GetProperty("is_mean").GetDouble(), 0, 1e-4, "IS from images");
        Assert.Equal(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "precision"), j.GetProperty("precision").GetDouble());
        Assert.Equal(GoldenJson.Number(tf, "metrics", "all_default_k3", "result", "recall"), j.GetProperty("recall").GetDouble());
    }

    [Fact]
    public void MissingWeightsFileIsOneLineError()
    {
        var r = CliRunner.Run("fid", SetA, SetB, "--weights", Path.Combine(_cache, "missing.pth"), "--cache-dir", _cache, "--quiet");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("missing.pth", r.Error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain('\n', r.Error.Trim());
    }
}
