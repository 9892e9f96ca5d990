using System.Security.Cryptography;
using GenMetrics.Weights;

namespace GenMetrics.Tests.Weights;

/// <summary>
/// Weights found in a cache under a registry name are SHA-256 checked against the registry before use (one line
/// naming the file, both hashes and the fix); weights without a published hash are used as found; each file is
/// hashed once per process (keyed by path, length and last write time).
/// </summary>
public sealed class CachedWeightsHashTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private WeightsCacheFolders Folders => new(_temp.Path("genmetrics/weights"), _temp.Path("torch/hub/checkpoints"));

    /// <summary>Offline: a refused cached file can never be replaced by a download behind the test's back.</summary>
    private WeightsResolver Resolver => new(Folders, offline: true);

    private static string Put(string folder, string name, byte[] content)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [Fact]
    public void AWrongFileUnderTheCanonicalNameIsRefused()
    {
        var weight = KnownWeights.FidInceptionV3;
        byte[] content = "not the FID Inception weights"u8.ToArray();
        string path = Put(Folders.GenMetricsCache, weight.FileName, content);
        var e = Assert.Throws<GenMetricsException>(() => Resolver.Resolve(weight));
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith(path + ": SHA-256 " + Sha256(content), e.Message, StringComparison.Ordinal);
        Assert.Contains("expected 6726825d", e.Message, StringComparison.Ordinal);
        Assert.Contains("delete the file", e.Message, StringComparison.Ordinal);
        Assert.Contains("give its path explicitly", e.Message, StringComparison.Ordinal); // API terms; the CLI adds "(option --weights)"
    }

    [Fact]
    public void TorchHubCacheAndAlternateNamesAreCheckedToo()
    {
        var weight = KnownWeights.FidInceptionV3;
        string path = Put(Folders.TorchHubCheckpoints, "weights-inception-2015-12-05-6726825d.pth", [1, 2, 3]);
        var e = Assert.Throws<GenMetricsException>(() => Resolver.Resolve(weight));
        Assert.StartsWith(path + ": SHA-256 ", e.Message, StringComparison.Ordinal);
        // The same file passed explicitly is the user's choice and is used as it is.
        Assert.Equal(new WeightsLocation(path, WeightsSource.Explicit), Resolver.Resolve(weight, path));
    }

    [Fact]
    public void WeightsWithoutAPublishedHashAreUsedAsFound()
    {
        var weight = KnownWeights.NvidiaInception;
        Assert.Equal("", weight.Sha256Prefix);
        string path = Put(Folders.GenMetricsCache, weight.FileName, [7, 7, 7]);
        Assert.Equal(new WeightsLocation(path, WeightsSource.GenMetricsCache), Resolver.Resolve(weight));
    }

    [Fact]
    public void AMatchingFileIsUsedAndHashedOncePerProcess()
    {
        byte[] content = RandomNumberGenerator.GetBytes(50_000);
        string prefix = Sha256(content)[..8];
        var weight = new KnownWeight("tiny", $"tiny-{prefix}.pth", new Uri("http://127.0.0.1:9/tiny.pth"), "test weights");
        string path = Put(Folders.GenMetricsCache, weight.FileName, content);
        Assert.Equal(new WeightsLocation(path, WeightsSource.GenMetricsCache), Resolver.Resolve(weight));

        // Same length, same write time, other bytes: the remembered hash is used, so the file was not read again.
        var written = File.GetLastWriteTimeUtc(path);
        byte[] other = (byte[])content.Clone();
        other[0] ^= 0xFF;
        File.WriteAllBytes(path, other);
        File.SetLastWriteTimeUtc(path, written);
        Assert.Equal(WeightsSource.GenMetricsCache, Resolver.Resolve(weight).Source);

        // A new write time is a new file: hashed again, and refused.
        File.SetLastWriteTimeUtc(path, written.AddSeconds(5));
        var e = Assert.Throws<GenMetricsException>(() => Resolver.Resolve(weight));
        Assert.Contains(Sha256(other), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCliRefusesAWrongCachedFileWithOneLine()
    {
        // Its own process: GENMETRICS_CACHE points at this test's folder (weights and feature cache) without touching
        // the test process's environment.
        string path = Put(Path.Combine(_temp.Root, "cache", "weights"), KnownWeights.FidInceptionV3.FileName, [1, 2, 3, 4]);
        using var process = CliExecutable.Start(["features", Fixtures.Path("images", "set_a"), "--out", _temp.Path("f.npy"), "--quiet"],
            env =>
            {
                env["GENMETRICS_CACHE"] = Path.Combine(_temp.Root, "cache");
                env["TORCH_HOME"] = _temp.Path("torch");
                env["GENMETRICS_OFFLINE"] = "1";
            });
        var output = process.StandardOutput.ReadToEndAsync();
        string error = await process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(limit.Token);
        await output;
        Assert.Equal(1, process.ExitCode);
        string line = error.Trim();
        Assert.DoesNotContain('\n', line);
        Assert.Contains(path + ": SHA-256 ", line, StringComparison.Ordinal);
        Assert.False(File.Exists(_temp.Path("f.npy")));
    }
}
