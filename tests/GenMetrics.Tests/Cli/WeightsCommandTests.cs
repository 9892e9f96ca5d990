using System.Text.Json;

namespace GenMetrics.Tests.Cli;

public sealed class WeightsCommandTests
{
    [Fact]
    public void ListsEveryKnownWeight()
    {
        var r = CliRunner.Run("weights", "--json");
        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        var names = json.RootElement.GetProperty("weights").EnumerateArray().Select(w => w.GetProperty("name").GetString()).ToList();
        Assert.Contains("fid-inception-v3", names);
        Assert.Contains("vgg16", names);
        Assert.EndsWith("weights", json.RootElement.GetProperty("genmetrics_cache").GetString(), StringComparison.Ordinal);

        var text = CliRunner.Run("weights");
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("pt_inception-2015-12-05-6726825d.pth", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectListsTensors()
    {
        var r = CliRunner.Run("weights", "--inspect", Fixtures.Path("weights", "format_zip_small.pth"), "--json");
        Assert.Equal(0, r.ExitCode);
        using var json = JsonDocument.Parse(r.Out);
        Assert.Equal("TorchZip", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(14, json.RootElement.GetProperty("tensors").GetInt32());

        var text = CliRunner.Run("weights", "--inspect", Fixtures.Path("weights", "lpips_v0.1", "alex.pth"));
        Assert.Contains("lin0.model.1.weight", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void BadInputIsOneLine()
    {
        var unknown = CliRunner.Run("weights", "--download", "resnet");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown weights 'resnet'", unknown.Error, StringComparison.Ordinal);

        var notCheckpoint = CliRunner.Run("weights", "--inspect", Fixtures.Path("weights", "weights_manifest.json"));
        Assert.Equal(1, notCheckpoint.ExitCode);
        Assert.Single(notCheckpoint.Error.Trim().Split('\n'));
        Assert.Contains("not a PyTorch checkpoint", notCheckpoint.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void InspectRefusesAForbiddenGlobal()
    {
        string path = Path.Combine(Path.GetTempPath(), $"genmetrics-evil-{Guid.NewGuid():N}.pth");
        try
        {
            byte[] pickle = new Checkpoints.PickleWriter().Proto(2).Global("os", "system").Unicode("echo hi").Raw(0x85).Op('R').Op('.').ToArray();
            File.WriteAllBytes(path, [.. Checkpoints.PickleWriter.LegacyHeader(), .. pickle]);
            var r = CliRunner.Run("weights", "--inspect", path);
            Assert.Equal(1, r.ExitCode);
            Assert.Single(r.Error.Trim().Split('\n'));
            Assert.Contains("'os.system'", r.Error, StringComparison.Ordinal);
            Assert.Empty(r.Out);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
