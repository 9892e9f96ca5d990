using System.Security.Cryptography;
using GenMetrics.Weights;

namespace GenMetrics.Tests.Weights;

/// <summary>Lookup order and the download path, against a server on 127.0.0.1 with tiny generated files.</summary>
public sealed class WeightsResolverTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly LoopbackHttpServer _server = new();
    private readonly byte[] _content = RandomNumberGenerator.GetBytes(300_000);

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    private WeightsCacheFolders Folders => new(_temp.Path("genmetrics/weights"), _temp.Path("torch/hub/checkpoints"));

    private KnownWeight TinyWeight(string? sha256Prefix = null)
    {
        string prefix = Convert.ToHexStringLower(SHA256.HashData(_content))[..8];
        string file = $"tiny-{prefix}.pth";
        return new KnownWeight("tiny", file, new Uri(_server.BaseUrl, "canonical/" + file), "test weights", sha256Prefix);
    }

    private WeightsResolver Resolver(bool offline = false) => new(Folders, mirrorBaseUrl: new Uri(_server.BaseUrl, "mirror/"), offline: offline);

    private sealed class RecordingProgress : IProgress<WorkProgress>
    {
        public List<WorkProgress> Reports { get; } = [];

        public void Report(WorkProgress value) => Reports.Add(value);
    }

    [Fact]
    public void DownloadsChecksAndCachesTheFile()
    {
        var weight = TinyWeight();
        _server.Serve("/mirror/" + weight.FileName, new(200, _content));
        var progress = new RecordingProgress();

        var location = Resolver().Resolve(weight, progress: progress);

        Assert.Equal(WeightsSource.Downloaded, location.Source);
        Assert.Equal(Path.Combine(Folders.GenMetricsCache, weight.FileName), location.Path);
        Assert.Equal(_content, File.ReadAllBytes(location.Path!));
        Assert.Equal(_content.Length, progress.Reports[^1].Done);
        Assert.Equal(_content.Length, progress.Reports[^1].Total);
        Assert.Equal([weight.FileName], Directory.GetFiles(Folders.GenMetricsCache).Select(Path.GetFileName));

        // Second call: found in the cache, no new request.
        int requests = _server.Requests;
        Assert.Equal(WeightsSource.GenMetricsCache, Resolver().Resolve(weight).Source);
        Assert.Equal(requests, _server.Requests);
    }

    [Fact]
    public void CanonicalUrlIsUsedWithoutAMirror()
    {
        var weight = TinyWeight();
        _server.Serve("/canonical/" + weight.FileName, new(200, _content));
        var resolver = new WeightsResolver(Folders);
        Assert.Equal(weight.Url, resolver.DownloadUrl(weight));
        Assert.Equal(WeightsSource.Downloaded, resolver.Resolve(weight).Source);
    }

    [Fact]
    public void WrongHashDeletesTheFileAndFails()
    {
        var weight = TinyWeight();
        byte[] other = (byte[])_content.Clone();
        other[^1] ^= 1;
        _server.Serve("/mirror/" + weight.FileName, new(200, other));

        var e = Assert.Throws<GenMetricsException>(() => Resolver().Resolve(weight));
        Assert.Contains($"expected it to start with {weight.Sha256Prefix}", e.Message, StringComparison.Ordinal);
        Assert.Contains("deleted", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Folders.GenMetricsCache));
    }

    [Fact]
    public void TruncatedTransferFailsAndLeavesNothing()
    {
        var weight = TinyWeight();
        _server.Serve("/mirror/" + weight.FileName, new(200, _content[..100_000], ContentLength: _content.Length));

        var e = Assert.Throws<GenMetricsException>(() => Resolver().Resolve(weight));
        Assert.Contains($"of {_content.Length} bytes", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Folders.GenMetricsCache));
    }

    [Fact]
    public void NotFoundOnTheServerSaysWhereToPutTheFile()
    {
        var weight = TinyWeight();
        var e = Assert.Throws<GenMetricsException>(() => Resolver().Resolve(weight));
        Assert.Contains("HTTP 404", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Folders.GenMetricsCache, weight.FileName), e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Folders.TorchHubCheckpoints, weight.FileName), e.Message, StringComparison.Ordinal);
        Assert.Contains(weight.Url.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Folders.GenMetricsCache));
    }

    [Fact]
    public void NoNetworkSaysWhereToPutTheFile()
    {
        // A port that was just free: connection refused, as with no network.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var weight = TinyWeight();
        var resolver = new WeightsResolver(Folders, mirrorBaseUrl: new Uri($"http://127.0.0.1:{port}/"));

        var e = Assert.Throws<GenMetricsException>(() => resolver.Resolve(weight));
        Assert.Contains("no network?", e.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(Folders.TorchHubCheckpoints, weight.FileName), e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void OfflineModeNeverDownloads()
    {
        var weight = TinyWeight();
        _server.Serve("/mirror/" + weight.FileName, new(200, _content));
        var e = Assert.Throws<GenMetricsException>(() => Resolver(offline: true).Resolve(weight));
        Assert.Contains("downloads are off", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, _server.Requests);
    }

    [Fact]
    public void UnwritableCacheFolderIsReported()
    {
        string blocker = _temp.Path("blocker");
        File.WriteAllText(blocker, "a file where the cache folder should be");
        var weight = TinyWeight();
        _server.Serve("/mirror/" + weight.FileName, new(200, _content));
        var resolver = new WeightsResolver(new WeightsCacheFolders(Path.Combine(blocker, "weights"), Folders.TorchHubCheckpoints), new Uri(_server.BaseUrl, "mirror/"));

        var e = Assert.Throws<GenMetricsException>(() => resolver.Resolve(weight));
        Assert.Contains("cannot create the weights cache folder", e.Message, StringComparison.Ordinal);
        Assert.Contains("GENMETRICS_CACHE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LookupOrderIsExplicitThenGenMetricsThenTorchHub()
    {
        var weight = KnownWeights.FidInceptionV3;
        var resolver = new WeightsResolver(Folders, offline: true);
        Assert.Equal(WeightsSource.NotFound, resolver.Locate(weight).Source);

        // torch-fidelity's name in the torch hub cache is accepted.
        Directory.CreateDirectory(Folders.TorchHubCheckpoints);
        string hub = Path.Combine(Folders.TorchHubCheckpoints, "weights-inception-2015-12-05-6726825d.pth");
        File.WriteAllBytes(hub, [1]);
        Assert.Equal(new WeightsLocation(hub, WeightsSource.TorchHubCache), resolver.Locate(weight));

        // (Resolve would refuse these one-byte files: their hash is not the registry's; CachedWeightsHashTests.)
        Directory.CreateDirectory(Folders.GenMetricsCache);
        string own = Path.Combine(Folders.GenMetricsCache, weight.FileName);
        File.WriteAllBytes(own, [1]);
        Assert.Equal(new WeightsLocation(own, WeightsSource.GenMetricsCache), resolver.Locate(weight));

        string fixture = Fixtures.Path("weights", "fid_inception.pth");
        Assert.Equal(new WeightsLocation(fixture, WeightsSource.Explicit), resolver.Resolve(weight, fixture));

        var missing = Assert.Throws<GenMetricsException>(() => resolver.Resolve(weight, _temp.Path("nope.pth")));
        Assert.Contains("nope.pth: weights file not found", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CacheFoldersFollowTheEnvironmentConventions()
    {
        var vars = new Dictionary<string, string?> { ["GENMETRICS_CACHE"] = "/data/gm", ["TORCH_HOME"] = "/data/torch", ["XDG_CACHE_HOME"] = "/xdg" };
        var folders = WeightsCacheFolders.FromVariables(k => vars.GetValueOrDefault(k));
        Assert.Equal(Path.Combine("/data/gm", "weights"), folders.GenMetricsCache);
        Assert.Equal(Path.Combine("/data/torch", "hub", "checkpoints"), folders.TorchHubCheckpoints);

        vars.Remove("GENMETRICS_CACHE");
        vars.Remove("TORCH_HOME");
        folders = WeightsCacheFolders.FromVariables(k => vars.GetValueOrDefault(k));
        Assert.Equal(Path.Combine("/xdg", "genmetrics", "weights"), folders.GenMetricsCache);
        Assert.Equal(Path.Combine("/xdg", "torch", "hub", "checkpoints"), folders.TorchHubCheckpoints);

        folders = WeightsCacheFolders.FromVariables(_ => null);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!OperatingSystem.IsWindows()) Assert.Equal(Path.Combine(home, ".cache", "genmetrics", "weights"), folders.GenMetricsCache);
        Assert.Equal(Path.Combine(home, ".cache", "torch", "hub", "checkpoints"), folders.TorchHubCheckpoints);
    }

    [Fact]
    public void RegistryHashPrefixesFollowTorchHubNaming()
    {
        Assert.Equal("6726825d", KnownWeights.FidInceptionV3.Sha256Prefix);
        Assert.Equal("7be5be79", KnownWeights.AlexNet.Sha256Prefix);
        Assert.Equal("397923af", KnownWeights.Vgg16.Sha256Prefix);
        Assert.Equal("b8a52dc0", KnownWeights.SqueezeNet11.Sha256Prefix);
        Assert.Equal(new Uri("https://download.pytorch.org/models/alexnet-owt-7be5be79.pth"), KnownWeights.AlexNet.Url);
        Assert.Same(KnownWeights.Vgg16, KnownWeights.Find("VGG16"));
        Assert.Null(KnownWeights.Find("resnet"));
        Assert.Equal(KnownWeights.All.Count, KnownWeights.All.Select(w => w.FileName).Distinct().Count());
        Assert.Equal("", new KnownWeight("x", "plain.pth", new Uri("http://localhost/plain.pth"), "no hash in name").Sha256Prefix);
    }

    [Fact]
    public void RealLpipsLinearWeightsMatchTheirRegisteredHashes()
    {
        foreach (var (weight, file) in new[] { (KnownWeights.LpipsAlexV01, "alex.pth"), (KnownWeights.LpipsVggV01, "vgg.pth"), (KnownWeights.LpipsSqueezeV01, "squeeze.pth") })
        {
            string hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Fixtures.Path("weights", "lpips_v0.1", file))));
            Assert.StartsWith(weight.Sha256Prefix, hash, StringComparison.Ordinal);
        }
    }
}
