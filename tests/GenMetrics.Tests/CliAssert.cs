namespace GenMetrics.Tests;

/// <summary>Assertions on a <see cref="CliRunner.Result"/> shared by the CLI error tests.</summary>
internal static class CliAssert
{
    /// <summary>Exit code 1 and exactly one stderr line, starting with <c>error: </c> and containing <paramref name="fragment"/>.</summary>
    public static void OneLineError(CliRunner.Result r, string fragment)
    {
        Assert.Equal(1, r.ExitCode);
        string[] lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one stderr line, got {lines.Length}: {r.Error}");
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.Contains(fragment, lines[0], StringComparison.Ordinal);
    }
}
