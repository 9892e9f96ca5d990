namespace GenMetrics.Tests.Cli;

/// <summary>
/// An error after progress was shown starts a line of its own (never glued to the progress line), with --json too;
/// stderr here is not a terminal, so progress is plain lines without carriage returns.
/// </summary>
public sealed class ProgressThenErrorTests
{
    [Fact]
    public void FidErrorAfterProgressIsALineOfItsOwn()
    {
        using var dir = new TempDirectory();
        string real = dir.Path("real"), fake = dir.Path("fake");
        Directory.CreateDirectory(real);
        Directory.CreateDirectory(fake);
        var images = Directory.GetFiles(Fixtures.Path("images", "set_a"), "*.png").Order(StringComparer.Ordinal).Take(40).ToArray();
        foreach (string image in images)
        {
            File.Copy(image, Path.Combine(real, Path.GetFileName(image)));
            File.Copy(image, Path.Combine(fake, Path.GetFileName(image)));
        }
        File.WriteAllBytes(Path.Combine(fake, "zz-broken.png"), [0x89, (byte)'P', (byte)'N', (byte)'G', 1, 2, 3]);

        var r = CliRunner.Run("fid", real, fake, "--weights", Fixtures.Path("weights", "fid_inception.pth"), "--json", "--batch-size", "8");

        Assert.Equal(1, r.ExitCode);
        Assert.DoesNotContain('\r', r.Error); // redirected stderr: no redrawn frames
        var lines = r.Error.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("features ", StringComparison.Ordinal)); // progress was shown before the failure
        string errorLine = Assert.Single(lines, l => l.Contains("error:", StringComparison.Ordinal));
        Assert.StartsWith("error: ", errorLine, StringComparison.Ordinal);
        Assert.Contains("zz-broken.png", errorLine, StringComparison.Ordinal);
    }
}
