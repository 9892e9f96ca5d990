using System.Text.Json;
using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Networks;
using GenMetrics.Tests.Features;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// <c>--protocol torchmetrics</c> and <c>torchmetrics-no-antialias</c> through the real command: the JSON names
/// the protocol, and FID / KID / IS follow torchmetrics' rules (<c>golden/torchmetrics</c>, real = set_a,
/// fake = set_b, <c>--seed 1</c> = <c>torch.manual_seed(1)</c>).
/// </summary>
public sealed class TorchmetricsCommandTests : IDisposable
{
    private static readonly string[] Json = ["golden", "torchmetrics", "torchmetrics.json"];
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EvalFromImagesMatchesTorchmetrics()
    {
        var r = CliRunner.Run("eval", Fixtures.Path("images", "set_a"), Fixtures.Path("images", "set_b"),
            "--weights", InceptionFeatures.WeightsPath, "--protocol", "torchmetrics", "--metrics", "fid,kid,is",
            "--subsets", "100", "--subset-size", "32", "--splits", "10", "--seed", "1",
            "--json", "--quiet", "--cache-dir", _temp.Path("cache"));
        Assert.True(r.ExitCode == 0, r.Error);
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("torchmetrics", j.GetProperty("protocol").GetString());
        // Tier end-to-end from images: FID and IS 1e-4 relative (float32 network noise); KID 1e-6 absolute
        // (identical subsets; see Features.TorchmetricsParityTests).
        Tolerance.Close(GoldenJson.Number(Json, "metrics", "fid_2048_antialias_true", "value_float64_before_cast"),
            j.GetProperty("fid").GetDouble(), 0, 1e-4, "FID (torchmetrics)");
        Tolerance.Close(GoldenJson.Number(Json, "metrics", "kid_subsets100", "kid_mean"), j.GetProperty("kid_mean").GetDouble(), 1e-6, 0, "KID mean");
        Tolerance.Close(GoldenJson.Number(Json, "metrics", "kid_subsets100", "kid_std"), j.GetProperty("kid_std").GetDouble(), 1e-6, 0, "KID std");
        Tolerance.Close(GoldenJson.Number(Json, "metrics", "inception_score_set_b", "is_mean"), j.GetProperty("is_mean").GetDouble(), 0, 1e-4, "IS mean");
        Tolerance.Close(GoldenJson.Number(Json, "metrics", "inception_score_set_b", "is_std"), j.GetProperty("is_std").GetDouble(), 0, 1e-4, "IS std");
    }

    [Fact]
    public void NoAntialiasFidFromFeatureFilesNamesTheProtocol()
    {
        // REAL: the golden's own set_a features (antialias=False); FAKE: our set_b features of the same protocol.
        string fake = _temp.Path("set_b.npy");
        var set = InceptionFeatures.Of(KnownProtocols.TorchmetricsNoAntialias, "set_b")[FidInceptionLayer.Pool3];
        NpyFile.Write(fake, NpyArray.FromFloat32(set.Values, set.Rows, set.Columns));
        var r = CliRunner.Run("fid", Fixtures.Path("golden", "torchmetrics", "features_set_a_2048_aa_false.npy"), fake,
            "--protocol", "torchmetrics-no-antialias", "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("torchmetrics-no-antialias", j.GetProperty("protocol").GetString());
        // Tier end-to-end (one side is our network's features): 1e-4 relative.
        Tolerance.Close(GoldenJson.Number(Json, "metrics", "fid_2048_antialias_false", "value_float64_before_cast"),
            j.GetProperty("fid").GetDouble(), 0, 1e-4, "FID (torchmetrics, antialias=False)");
    }

    [Fact]
    public void InceptionScoreFromGoldenLogitsNamesTheProtocol()
    {
        var r = CliRunner.Run("is", Fixtures.Path("golden", "torchmetrics", "logits_unbiased_set_b.npy"),
            "--protocol", "torchmetrics", "--seed", "1", "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("torchmetrics", j.GetProperty("protocol").GetString());
        // Tier statistics (shared logits): 1e-6 relative, as Metrics.TorchmetricsRuleTests.
        Tolerance.Close(GoldenJson.Number(Json, "metrics", "inception_score_set_b", "is_mean"), j.GetProperty("is_mean").GetDouble(), 0, 1e-6, "IS mean");
        Tolerance.Close(GoldenJson.Number(Json, "metrics", "inception_score_set_b", "is_std"), j.GetProperty("is_std").GetDouble(), 0, 1e-6, "IS std");
    }

    [Fact]
    public void HelpListsBothProtocols()
    {
        var r = CliRunner.Run("fid", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("torchmetrics", r.Out, StringComparison.Ordinal);
        Assert.Contains("torchmetrics-no-antialias", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownProtocolIsOneLineError()
    {
        var r = CliRunner.Run("fid", "a.npy", "b.npy", "--protocol", "torchmetrics-aa");
        CliAssert.OneLineError(r, "torchmetrics-no-antialias");
    }
}
