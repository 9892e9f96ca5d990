using System.Text.Json;
using GenMetrics.Tests.Metrics;
using Xunit.Abstractions;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// The clean-fid protocols on the command line: <c>--protocol clean</c> (mode 'clean', NVIDIA's TorchScript
/// Inception) from the image folders, clean-fid's KID subset rule, the JSON naming the protocol, and the one-line
/// error for weights of the other network.
/// </summary>
public sealed class CleanProtocolCommandTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Json = ["golden", "clean_ts", "clean_ts.json"];
    private readonly string _cache = Directory.CreateTempSubdirectory("genmetrics-cache-").FullName;

    public void Dispose() => Directory.Delete(_cache, recursive: true);

    private static string SetA => Fixtures.Path("images", "set_a");

    private static string SetB => Fixtures.Path("images", "set_b");

    private static string NvidiaWeights => Fixtures.Path("weights", "nvidia_inception_torchscript.pt");

    private static string GoldenFeatures(string mode, string set) => Fixtures.Path("golden", "clean_ts", $"features_{mode}_{set}.npy");

    [Fact]
    public void CleanFidAndKidFromImages()
    {
        // clean-fid compute_fid/compute_kid(set_a, set_b): set_a is the first (REAL) input, set_b the second.
        var r = CliRunner.Run("eval", SetA, SetB, "--weights", NvidiaWeights, "--protocol", "clean", "--metrics", "fid,kid",
            "--json", "--quiet", "--cache-dir", _cache);
        Assert.True(r.ExitCode == 0, r.Error);
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("clean", j.GetProperty("protocol").GetString());
        output.WriteLine($"clean from images: FID {j.GetProperty("fid").GetDouble():R}, KID {j.GetProperty("kid_mean").GetDouble():R}");
        // Tier: end to end, rel 1e-4 (float32 network noise floor), as for the other protocols from images.
        Tolerance.Close(GoldenJson.Number(Json, "values", "clean", "fid"), j.GetProperty("fid").GetDouble(), 0, 1e-4, "clean FID from images");
        // KID without --subset-size: clean-fid's rule takes min(64, 64, 1000) = 64 rows per subset instead of refusing
        // the default 1000. Tier: end to end, rel 1e-4 as FID (measured 2.5e-5: KID is a difference of kernel sums
        // about 600 times larger than itself, so the features' 1e-5 relative float32 noise reaches it amplified).
        Tolerance.Close(GoldenJson.Number(Json, "values", "clean", "kid"), j.GetProperty("kid_mean").GetDouble(), 0, 1e-4, "clean KID from images");
    }

    [Theory]
    [InlineData("clean", "clean")]
    [InlineData("clean-legacy-tf", "legacy_tensorflow")]
    public void KidFromFeaturesUsesCleanFidSubsetRuleAndJsonNamesTheProtocol(string protocol, string mode)
    {
        var r = CliRunner.Run("kid", GoldenFeatures(mode, "set_a"), GoldenFeatures(mode, "set_b"), "--protocol", protocol, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal(protocol, j.GetProperty("protocol").GetString());
        // Tier kid: clean-fid's float32 numpy kernel sums, 1e-6 absolute (shared features).
        Tolerance.Close(GoldenJson.Number(Json, "values", mode, "kid"), j.GetProperty("kid_mean").GetDouble(), 1e-6, 0, $"{protocol} KID");

        // torch-fidelity's rule (pytorch-fid protocol) still refuses a subset larger than the sets.
        CliAssert.OneLineError(CliRunner.Run("kid", GoldenFeatures(mode, "set_a"), GoldenFeatures(mode, "set_b")), "(option --subset-size)");
    }

    [Fact]
    public void FidFromFeaturesNamesTheProtocol()
    {
        var r = CliRunner.Run("fid", GoldenFeatures("legacy_tensorflow", "set_a"), GoldenFeatures("legacy_tensorflow", "set_b"),
            "--protocol", "clean-legacy-tf", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var j = JsonDocument.Parse(r.Out).RootElement;
        Assert.Equal("clean-legacy-tf", j.GetProperty("protocol").GetString());
        // Tier fid-rank-deficient: n = 64 < d = 2048, the reference's sqrtm noise (CleanTorchScriptParityTests): 1e-4 relative.
        Tolerance.Close(GoldenJson.Number(Json, "values", "legacy_tensorflow", "fid"), j.GetProperty("fid").GetDouble(), 0, 1e-4, "clean-legacy-tf FID");
    }

    [Fact]
    public void PytorchFidWeightsForTheNvidiaNetworkAreOneLineNamingTheTensors()
    {
        var r = CliRunner.Run("fid", SetA, SetB, "--protocol", "clean", "--weights", Fixtures.Path("weights", "fid_inception.pth"),
            "--cache-dir", _cache, "--quiet");
        CliAssert.OneLineError(r, "not a TorchScript NVIDIA Inception checkpoint");
        Assert.Contains("layers.conv.weight", r.Error, StringComparison.Ordinal);
        Assert.Contains("fid_inception.pth", r.Error, StringComparison.Ordinal);

        var back = CliRunner.Run("fid", SetA, SetB, "--protocol", "pytorch-fid", "--weights", NvidiaWeights, "--cache-dir", _cache, "--quiet");
        CliAssert.OneLineError(back, "not a FID Inception-v3 checkpoint");
    }

    [Fact]
    public void HelpListsTheCleanFidProtocols()
    {
        var r = CliRunner.Run("features", "--help");
        Assert.Equal(0, r.ExitCode);
        foreach (string name in new[] { "clean", "clean-legacy-tf", "clean-pytorch-inception" })
        {
            Assert.Contains($"{name}: ", r.Out, StringComparison.Ordinal);
        }
        Assert.Contains("NVIDIA TorchScript Inception", r.Out, StringComparison.Ordinal);
    }
}
