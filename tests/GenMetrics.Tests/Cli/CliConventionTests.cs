using GenMetrics.Checkpoints;
using GenMetrics.Cli;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// The command-line conventions of the Python tools: options a verb does not use are refused in one line, option
/// values are validated where they are declared, an option-looking input is not taken as a path, and a cancelled
/// run stops with exit 130 and writes nothing.
/// </summary>
public sealed class CliConventionTests
{
    private static string Features(string set) => Fixtures.Path("golden", "fid_tf", $"features_{set}_2048.npy");

    [Theory]
    [InlineData("fid", "--splits", "3")]
    [InlineData("fid", "--subsets", "7")]
    [InlineData("fid", "--k", "9")]
    [InlineData("fid", "--seed", "1")]
    [InlineData("kid", "--splits", "3")]
    [InlineData("prdc", "--subset-size", "10")]
    [InlineData("ssim", "--protocol", "clean")]
    [InlineData("psnr", "--window", "uniform")]
    public void AnOptionTheVerbDoesNotUseFailsInOneLine(string verb, string option, string value)
    {
        var r = CliRunner.Run(verb, Features("set_a"), Features("set_b"), option, value);
        AssertOneLineError(r, option, $"genmetrics {verb} --help");
    }

    [Theory]
    [InlineData("--batch-size", "0", "--batch-size expects an integer >= 1")]
    [InlineData("--dims", "100", "--dims must be one of 64, 192, 768, 2048")]
    [InlineData("--device", "gpu", "--device expects cpu, cuda or cuda:N")]
    [InlineData("--device", "cuda:x", "--device expects cpu, cuda or cuda:N")]
    [InlineData("--protocol", "tf", "--protocol must be one of pytorch-fid, torch-fidelity")]
    [InlineData("--num-workers", "-1", "--num-workers expects 0 to 256")]
    public void BadValuesFailInOneLine(string option, string value, string fragment) =>
        AssertOneLineError(CliRunner.Run("fid", Features("set_a"), Features("set_b"), option, value), fragment);

    [Fact]
    public void AnUnknownOptionWhereAnInputGoesIsAnOptionError() =>
        AssertOneLineError(CliRunner.Run("fid", "--bogus"), "unknown option '--bogus'", "./--bogus");

    [Fact]
    public void TheRealAndFakeOrderIsInEveryDistributionVerbsHelp()
    {
        foreach (string verb in new[] { "fid", "kid", "prdc", "eval" })
        {
            string help = CliRunner.Run(verb, "--help").Out;
            Assert.Contains($"genmetrics {verb} <REAL> ", help, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("fid", "pytorch-fid")]
    [InlineData("is", "torch-fidelity")]
    [InlineData("kid", "torch-fidelity")]
    [InlineData("prdc", "torch-fidelity")]
    public void EachVerbDefaultsToTheProtocolOfTheToolItNames(string verb, string protocol)
    {
        // Help wraps at a fixed width: compare with runs of white space as one space.
        string help = System.Text.RegularExpressions.Regex.Replace(CliRunner.Run(verb, "--help").Out, @"\s+", " ");
        Assert.Contains($"(default protocol: {protocol})", help, StringComparison.Ordinal);
        Assert.Contains($"[default: {protocol}]", help, StringComparison.Ordinal);
    }

    [Fact]
    public void QuietHasItsShortForm()
    {
        var r = CliRunner.Run("fid", Features("set_a"), Features("set_b"), "-q");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.StartsWith("FID: ", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void SaveStatsWithTwoInputsWritesTheStatisticsBehindTheFid()
    {
        using var dir = new TempDirectory();
        string target = dir.Path("s.npz");
        var r = CliRunner.Run("fid", Features("set_a"), Features("set_b"), "--save-stats", target, "-q");
        Assert.True(r.ExitCode == 0, r.Error);
        double fid = double.Parse(r.Out.Split('\n')[0]["FID: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(File.Exists(dir.Path("s.real.npz")) && File.Exists(dir.Path("s.fake.npz")), r.Out);
        var again = CliRunner.Run("fid", dir.Path("s.real.npz"), dir.Path("s.fake.npz"), "-q");
        Assert.True(again.ExitCode == 0, again.Error);
        double fromStats = double.Parse(again.Out.Split('\n')[0]["FID: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        // Tier "float64 math": the same n, mu and sigma feed the same Fréchet code; only the file round trip differs (none: float64 stored).
        Tolerance.Close(fid, fromStats, 1e-9, 0, "FID from the saved statistics");
    }

    /// <summary>
    /// The issue's command line on images: FID with the statistics of both inputs saved, the JSON result in a file,
    /// the CPU named PyTorch's way and two decode workers; the result validates against the schema and the saved
    /// statistics give the same FID.
    /// </summary>
    [Fact]
    public void FidOnImagesWithSaveStatsOutputDeviceAndWorkers()
    {
        using var dir = new TempDirectory();
        string real = EightImages(dir, "real", "set_a", "a"), fake = EightImages(dir, "fake", "set_b", "b");
        string result = dir.Path("result.json");
        var r = CliRunner.Run("fid", real, fake, "--save-stats", dir.Path("S.npz"), "-o", result, "--device", "cpu", "--num-workers", "2",
            "--weights", Fixtures.Path("weights", "fid_inception.pth"), "--cache-dir", dir.Path("cache"));
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(result));
        ResultSchema.AssertValid(doc.RootElement, "fid --save-stats -o");
        var saved = doc.RootElement.GetProperty("saved_statistics");
        Assert.Equal(2, saved.GetArrayLength());
        Assert.Equal(dir.Path("S.real.npz"), saved[0].GetProperty("path").GetString());
        Assert.Equal(8, saved[1].GetProperty("n").GetInt32());
        var again = CliRunner.Run("fid", dir.Path("S.real.npz"), dir.Path("S.fake.npz"), "--json", "-q");
        Assert.True(again.ExitCode == 0, again.Error);
        using var fromStats = System.Text.Json.JsonDocument.Parse(again.Out);
        // Tier "float64 math": the saved n, mu and sigma are the ones behind the printed FID (the cached features, one path).
        Tolerance.Close(doc.RootElement.GetProperty("fid").GetDouble(), fromStats.RootElement.GetProperty("fid").GetDouble(), 1e-9, 0, "FID from the saved statistics");
    }

    private static string EightImages(TempDirectory dir, string name, string set, string prefix)
    {
        string folder = dir.Path(name);
        Directory.CreateDirectory(folder);
        for (int i = 0; i < 8; i++) File.Copy(Fixtures.Path("images", set, $"{prefix}_{i:D3}.png"), Path.Combine(folder, $"{prefix}_{i:D3}.png"));
        return folder;
    }

    [Fact]
    public void SaveStatsWithOneInputWritesWhatStatsWrites()
    {
        using var dir = new TempDirectory();
        var r = CliRunner.Run("fid", Features("set_a"), "--save-stats", dir.Path("saved.npz"), "-q");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("wrote ", r.Out, StringComparison.Ordinal);
        var s = CliRunner.Run("stats", Features("set_a"), "-o", dir.Path("stats.npz"), "-q");
        Assert.True(s.ExitCode == 0, s.Error);
        var saved = NpzFile.Read(dir.Path("saved.npz"));
        var stats = NpzFile.Read(dir.Path("stats.npz"));
        foreach (string key in new[] { "mu", "sigma" })
        {
            Assert.Equal(stats[key].ToFloat64(), saved[key].ToFloat64()); // one code path: bit-identical
        }
    }

    [Fact]
    public void FidWithOneInputAndNoSaveStatsSaysWhatItNeeds() =>
        AssertOneLineError(CliRunner.Run("fid", Features("set_a")), "REAL and FAKE", "--save-stats");

    [Fact]
    public void ACancelledRunExits130AndWritesNothing()
    {
        using var dir = new TempDirectory();
        string output = dir.Path("features.npy");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = CliApplication.Run(["features", Fixtures.Path("images", "set_a"), "--out", output, "--weights", Fixtures.Path("weights", "fid_inception.pth")],
            stdout, stderr, cancelled.Token);
        Assert.True(code == InterruptHandler.InterruptedExitCode, $"exit {code}: {stderr}");
        string line = Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: interrupted", line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Root));
    }

    private static void AssertOneLineError(CliRunner.Result r, params string[] fragments)
    {
        Assert.Equal(CliApplication.UserErrorExitCode, r.ExitCode);
        Assert.Equal("", r.Out);
        string line = Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        foreach (string f in fragments) Assert.Contains(f, line, StringComparison.Ordinal);
    }
}
