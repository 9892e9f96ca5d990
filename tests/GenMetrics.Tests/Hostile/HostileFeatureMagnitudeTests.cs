using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Hostile;

/// <summary>
/// Float64 feature matrices of magnitude ~1e200 (and just past each metric's bound): every distribution verb
/// refuses with one line naming the file, instead of KID NaN or PR/DC zeros with exit 0.
/// </summary>
public sealed class HostileFeatureMagnitudeTests
{
    private static string WriteFeatures(TempDirectory dir, string name, double scale, int seed)
    {
        var rng = new Random(seed);
        var values = new double[20 * 8];
        for (int i = 0; i < values.Length; i++) values[i] = (rng.NextDouble() - 0.5) * scale;
        string path = dir.Path(name);
        NpyFile.Write(path, NpyArray.FromFloat64(values, 20, 8));
        return path;
    }

    [Theory]
    [InlineData("fid", 1e200)]
    [InlineData("kid", 1e200)]
    [InlineData("prdc", 1e200)]
    [InlineData("eval", 1e200)]
    [InlineData("fid", 1e50)] // between FID's bound and float64 overflow of Σ: the eigensolve used to fail (exit 70)
    [InlineData("prdc", 1e50)] // float32 distances of torch-fidelity's precision/recall overflow: used to give 1 and 1
    [InlineData("kid", 1e10)] // the float32 cubic kernel overflows: used to give NaN
    public void HugeFeaturesAreRefusedNamingTheFile(string verb, double scale)
    {
        using var dir = new TempDirectory();
        string real = WriteFeatures(dir, "real.npy", 1.0, 1);
        string fake = WriteFeatures(dir, "fake.npy", scale, 2);
        var r = CliRunner.Run([verb, real, fake, .. SubsetSize(verb), "--quiet"]);
        CliAssert.OneLineError(r, fake);
        Assert.Contains("rescale or recompute the features", r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kid", 1e5)]
    [InlineData("prdc", 1e25)]
    [InlineData("fid", 1e25)]
    public void LargeFeaturesWithinTheBoundAreComputed(string verb, double scale)
    {
        using var dir = new TempDirectory();
        string real = WriteFeatures(dir, "real.npy", scale, 1);
        string fake = WriteFeatures(dir, "fake.npy", scale, 2);
        var r = CliRunner.Run([verb, real, fake, .. SubsetSize(verb), "--quiet"]);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.DoesNotContain("NaN", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void StatisticsWithHugeSigmaAreRefusedByFid()
    {
        using var dir = new TempDirectory();
        string path = dir.Path("huge.npz");
        NpzFile.Write(path,
        [
            new("mu", NpyArray.FromFloat64(new double[2], 2)),
            new("sigma", NpyArray.FromFloat64([1e100, 0, 0, 1e100], 2, 2)),
        ]);
        var r = CliRunner.Run("fid", path, path, "--quiet");
        CliAssert.OneLineError(r, path);
        Assert.Contains("sigma[0,0]", r.Error, StringComparison.Ordinal);
    }

    /// <summary>KID's subsets must fit the 20-row sets; the other verbs have no such option (and refuse it).</summary>
    private static string[] SubsetSize(string verb) => verb == "kid" ? ["--subset-size", "10"] : [];
}
