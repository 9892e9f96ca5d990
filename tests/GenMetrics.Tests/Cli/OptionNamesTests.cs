using GenMetrics.Cli;
using GenMetrics.Evaluation;

namespace GenMetrics.Tests.Cli;

/// <summary>The CLI names the flag of the parameter a library error points at (<see cref="GenMetricsException.ParameterName"/>).</summary>
public sealed class OptionNamesTests
{
    [Theory]
    [InlineData(nameof(EvaluationOptions.Protocol), "--protocol")]
    [InlineData(nameof(EvaluationOptions.Dimensions), "--dims")]
    [InlineData(nameof(EvaluationOptions.Splits), "--splits")]
    [InlineData(nameof(EvaluationOptions.Shuffle), "--no-shuffle")]
    [InlineData(nameof(EvaluationOptions.Subsets), "--subsets")]
    [InlineData(nameof(EvaluationOptions.SubsetSize), "--subset-size")]
    [InlineData(nameof(EvaluationOptions.PrecisionRecallK), "--k")]
    [InlineData(nameof(EvaluationOptions.DensityCoverageK), "--k")]
    [InlineData(nameof(EvaluationOptions.Seed), "--seed")]
    [InlineData(nameof(EvaluationOptions.Force), "--force")]
    [InlineData(nameof(EvaluationOptions.LogitsPath), "--logits")]
    [InlineData(nameof(ImageFeatureSettings.WeightsPath), "--weights")]
    [InlineData(nameof(ImageFeatureSettings.BatchSize), "--batch-size")]
    [InlineData(nameof(ImageFeatureSettings.Device), "--device")]
    [InlineData(nameof(ImageFeatureSettings.CacheDirectory), "--cache-dir")]
    [InlineData("subsetSize", "--subset-size")]
    [InlineData("splits", "--splits")]
    public void EveryEvaluationSettingIsAFlagOfEval(string parameter, string flag)
    {
        Assert.Equal(flag, OptionNames.For(parameter));
        var eval = CommandCatalog.All.Single(c => c.Name == "eval");
        Assert.True(eval.Symbols.OfType<System.CommandLine.Option>().Any(o => o.Name == flag), $"eval does not accept {flag}");
    }

    [Fact]
    public void WarningsNameTheFlagsOfTheOptionsTheyMention()
    {
        Assert.Equal("statistics differ in layer; compared anyway (--force)",
            OptionNames.InText("statistics differ in layer; compared anyway (EvaluationOptions.Force)"));
        Assert.Equal("--splits and --no-shuffle do not apply", OptionNames.InText("EvaluationOptions.Splits and EvaluationOptions.Shuffle do not apply"));
        Assert.Equal("EvaluationOptions.MaxThreads stays", OptionNames.InText("EvaluationOptions.MaxThreads stays"));
    }

    [Fact]
    public void AnErrorWithoutAParameterGetsNoFlag()
    {
        Assert.Null(OptionNames.For(null));
        Assert.Null(OptionNames.For("NoSuchSetting"));
    }

    [Fact]
    public void TheFlagOfTheParameterAtFaultIsNamed()
    {
        // An empty folder with sub-folders: the library suggests 'recursive', and fid has --recursive, so the line names it.
        using var dir = new Imaging.ScratchFolder();
        File.Copy(Fixtures.Path("images", "odd", "tiny_1x1.png"), dir.File("sub", "x.png"));
        var r = CliRunner.Run("fid", dir.Root, dir.Root, "--weights", Fixtures.Path("weights", "fid_inception.pth"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no images", r.Error, StringComparison.Ordinal);
        Assert.Contains("(option --recursive)", r.Error, StringComparison.Ordinal);
    }
}
