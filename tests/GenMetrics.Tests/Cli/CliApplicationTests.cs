namespace GenMetrics.Tests.Cli;

public sealed class CliApplicationTests
{
    [Fact]
    public void UnknownCommandIsOneLineAndNonZero()
    {
        var r = CliRunner.Run("frobnicate");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Single(r.Error.Trim().Split('\n'));
        Assert.Contains("unknown command 'frobnicate'", r.Error);
    }

    [Fact]
    public void HelpListsCommands()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("genmetrics [command] [options]", r.Out);
        foreach (var verb in GenMetrics.Cli.CliApplication.Commands) Assert.Contains($"  {verb.Name} ", r.Out);
    }
}
