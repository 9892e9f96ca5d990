using System.Text.Json;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Tests.Imaging;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Cli;

/// <summary>The lpips verb run in-process: files, folders, JSON, spatial maps, and the bad-input exits.</summary>
public sealed class LpipsCommandTests
{
    private static double Expected(LpipsNetwork network, string id) => LpipsFixture.Expected(network, id)!.Value;

    private static string FirstPair => LpipsFixture.MeasurablePairs(LpipsNetwork.Alex)[0];

    [Fact]
    public void TwoFilesWithJson()
    {
        string id = FirstPair;
        var r = CliRunner.Run("lpips", LpipsFixture.PairPath(id, "ref"), LpipsFixture.PairPath(id, "dist"),
            "--net", "alex", "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex), "--json", "--threads", "2");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        JsonElement root = doc.RootElement;
        Assert.Equal("lpips", root.GetProperty("metric").GetString());
        Assert.Equal(1, root.GetProperty("count").GetInt32());
        Assert.Equal("alex", root.GetProperty("settings").GetProperty("net").GetString());
        Assert.Equal("0.1", root.GetProperty("settings").GetProperty("version").GetString());
        // Tier "float32 network": 1e-5 abs, as in LpipsParityTests (same code path).
        Tolerance.Close(Expected(LpipsNetwork.Alex, id), root.GetProperty("value").GetDouble(), 1e-5, 0, $"cli lpips alex {id}");
        JsonElement pair = root.GetProperty("per_pair")[0];
        Assert.Equal($"{id}_ref.png", pair.GetProperty("ref").GetString());
        Assert.Equal($"{id}_dist.png", pair.GetProperty("dist").GetString());
    }

    [Fact]
    public void FoldersWithMixedSizesAndSpatialMaps()
    {
        // Pairs with a squeeze spatial golden first, then others, four in all (sizes differ; batch size 3).
        var spatialIds = LpipsFixture.Golden.GetProperty("spatial").EnumerateObject()
            .Where(p => p.Name.StartsWith("squeeze_", StringComparison.Ordinal)).Select(p => p.Name["squeeze_".Length..]).ToList();
        string[] ids = [.. spatialIds.Concat(LpipsFixture.MeasurablePairs(LpipsNetwork.Squeeze)).Distinct().Take(4).Order(StringComparer.Ordinal)];
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders(ids);
        string spatial = dir.File("maps");
        var r = CliRunner.Run("lpips", refDir, distDir, "--net", "squeeze", "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Squeeze),
            "--spatial-out", spatial, "--batch-size", "3", "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        var perPair = doc.RootElement.GetProperty("per_pair").EnumerateArray().ToList();
        Assert.Equal(ids.Select(id => $"{id}.png"), perPair.Select(p => p.GetProperty("ref").GetString()));
        double mean = 0;
        foreach (var (p, id) in perPair.Zip(ids))
        {
            // Tier "float32 network": 1e-5 abs.
            Tolerance.Close(Expected(LpipsNetwork.Squeeze, id), p.GetProperty("value").GetDouble(), 1e-5, 0, $"cli squeeze {id}");
            mean += Expected(LpipsNetwork.Squeeze, id);
        }
        Tolerance.Close(mean / ids.Length, doc.RootElement.GetProperty("value").GetDouble(), 1e-5, 0, "cli squeeze mean");

        foreach (string id in spatialIds.Where(ids.Contains))
        {
            NpyArray map = NpyFile.Read(Path.Combine(spatial, $"{id}.npy"));
            NpyArray golden = NpyFile.Read(Fixtures.Path("golden", "lpips", $"spatial_squeeze_{id}.npy"));
            Assert.Equal(golden.Shape, map.Shape);
            // Tier "float32 network": 1e-5 abs per pixel.
            Tolerance.AllClose(golden.ToFloat32(), map.ToFloat32(), 1e-5, 0, $"cli spatial squeeze {id}");
        }
        Assert.Equal(ids.Length, Directory.GetFiles(spatial, "*.npy").Length);
        Assert.Empty(Directory.GetFiles(spatial, "*.tmp"));
    }

    [Fact]
    public void HumanTableListsPairsAndMean()
    {
        string id = FirstPair;
        var r = CliRunner.Run("lpips", LpipsFixture.PairPath(id, "ref"), LpipsFixture.PairPath(id, "dist"),
            "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex), "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains($"{id}_ref.png", r.Out, StringComparison.Ordinal);
        Assert.Contains("mean LPIPS v0.1 (alex) over 1 pair(s): ", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void SizeMismatchFailsNamingBothFiles()
    {
        using var dir = new ScratchFolder();
        string a = dir.File("a.png");
        string b = dir.File("b.png");
        LpipsFixture.WritePng(a, LpipsFixture.Synthetic(64, 64, 1));
        LpipsFixture.WritePng(b, LpipsFixture.Synthetic(48, 64, 2));
        AssertUserError(CliRunner.Run("lpips", a, b, "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex)),
            "a.png", "b.png", "differ in size (64x64 vs 48x64)");
    }

    [Fact]
    public void ImageBelowTheMinimumFailsNamingTheMinimum()
    {
        using var dir = new ScratchFolder();
        string small = dir.File("small.png");
        LpipsFixture.WritePng(small, LpipsFixture.Synthetic(20, 40, 6));
        AssertUserError(CliRunner.Run("lpips", small, small, "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex)),
            "small.png", "needs at least 31x31 pixels");
    }

    [Fact]
    public void WrongBackboneFileFailsNamingKeys() =>
        AssertUserError(CliRunner.Run("lpips", LpipsFixture.PairPath(FirstPair, "ref"), LpipsFixture.PairPath(FirstPair, "dist"),
            "--net", "squeeze", "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex)),
            "alexnet_features.pth", "SqueezeNet", "features.3.squeeze.weight");

    [Fact]
    public void NotACheckpointFails()
    {
        string image = LpipsFixture.PairPath(FirstPair, "ref");
        AssertUserError(CliRunner.Run("lpips", image, LpipsFixture.PairPath(FirstPair, "dist"), "--backbone-weights", image),
            $"{FirstPair}_ref.png", "not a PyTorch checkpoint");
    }

    [Fact]
    public void UnknownNetFails() =>
        AssertUserError(CliRunner.Run("lpips", LpipsFixture.PairPath(FirstPair, "ref"), LpipsFixture.PairPath(FirstPair, "dist"), "--net", "resnet"),
            "--net must be one of alex, vgg, squeeze");

    private static void AssertUserError(CliRunner.Result r, params string[] fragments)
    {
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Out);
        string line = r.Error.Trim();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        foreach (string f in fragments) Assert.Contains(f, line, StringComparison.Ordinal);
    }
}
