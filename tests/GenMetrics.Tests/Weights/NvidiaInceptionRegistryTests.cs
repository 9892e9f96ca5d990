using System.Text.Json;
using GenMetrics.Features;
using GenMetrics.Weights;

namespace GenMetrics.Tests.Weights;

/// <summary>NVIDIA's TorchScript Inception in the weights registry, and which weights each protocol looks up.</summary>
public sealed class NvidiaInceptionRegistryTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly LoopbackHttpServer _server = new();

    public void Dispose()
    {
        _server.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void RegistryHasCleanFidsAddressAndNoInventedHash()
    {
        var weight = KnownWeights.NvidiaInception;
        // cleanfid/downloads_helper.py (e88c4d6): inception_url, saved as inception-2015-12-05.pt.
        Assert.Equal(new Uri("https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/metrics/inception-2015-12-05.pt"), weight.Url);
        Assert.Equal("inception-2015-12-05.pt", weight.FileName);
        // clean-fid checks no hash; torch.hub's name rule would wrongly read "05" from this name.
        Assert.Equal("", weight.Sha256Prefix);
        Assert.Same(weight, KnownWeights.Find("nvidia-inception-torchscript"));
        Assert.Contains(weight, KnownWeights.All);
    }

    [Fact]
    public void EachProtocolLooksUpItsOwnNetwork()
    {
        Assert.Same(KnownWeights.NvidiaInception, KnownProtocols.Clean.DefaultWeights);
        Assert.Same(KnownWeights.NvidiaInception, KnownProtocols.CleanLegacyTensorFlow.DefaultWeights);
        Assert.Same(KnownWeights.FidInceptionV3, KnownProtocols.CleanPytorchInception.DefaultWeights);
        Assert.Same(KnownWeights.FidInceptionV3, KnownProtocols.PytorchFid.DefaultWeights);
        Assert.Same(KnownWeights.FidInceptionV3, KnownProtocols.TorchFidelity.DefaultWeights);
    }

    [Fact]
    public void DownloadFromAMirrorKeepsTheFileName()
    {
        byte[] content = File.ReadAllBytes(Fixtures.Path("weights", "format_zip_small.pth"));
        _server.Serve("/mirror/inception-2015-12-05.pt", new(200, content));
        var folders = new WeightsCacheFolders(_temp.Path("genmetrics/weights"), _temp.Path("torch/hub/checkpoints"));
        var location = new WeightsResolver(folders, mirrorBaseUrl: new Uri(_server.BaseUrl, "mirror/")).Resolve(KnownWeights.NvidiaInception);
        Assert.Equal(WeightsSource.Downloaded, location.Source);
        Assert.Equal(Path.Combine(folders.GenMetricsCache, "inception-2015-12-05.pt"), location.Path);
        Assert.Equal(content, File.ReadAllBytes(location.Path!));
    }

    [Fact]
    public void InspectReportsTheTorchScriptArchive()
    {
        var r = CliRunner.Run("weights", "--inspect", Fixtures.Path("weights", "nvidia_inception_torchscript.pt"), "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal("TorchScript", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(378, json.RootElement.GetProperty("tensors").GetInt32());
    }
}
