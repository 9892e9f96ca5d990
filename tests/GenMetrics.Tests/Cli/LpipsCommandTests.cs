using System.Text.Json;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Tests.Imaging;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Cli;

/// <summary>The lpips verb run in-process: files, folders, JSON, spatial maps, and the bad-input exits.</summary>
public sealed class LpipsCommandTests
{
    private static readonly Lazy<JsonElement> Golden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path("golden", "lpips", "lpips.json"))).RootElement.GetProperty("values"));

    private static double Expected(string net, string id) => Golden.Value.GetProperty(net).GetProperty(id).GetProperty("lpips").GetDouble();

    [Fact]
    public void TwoFilesWithJson()
    {
        var r = CliRunner.Run("lpips", LpipsFixture.PairPath("07", "ref"), LpipsFixture.PairPath("07", "dist"),
            "--net", "alex", "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex), "--json", "--threads", "2");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        JsonElement root = doc.RootElement;
        Assert.Equal("lpips", root.GetProperty("metric").GetString());
        Assert.Equal(1, root.GetProperty("count").GetInt32());
        Assert.Equal("alex", root.GetProperty("net").GetString());
        Assert.Equal("0.1", root.GetProperty("version").GetString());
        // Tier "float32 network": 1e-5 abs, as in LpipsParityTests (same code path).
        Tolerance.Close(Expected("alex", "07"), root.GetProperty("value").GetDouble(), 1e-5, 0, "cli lpips alex 07");
        JsonElement pair = root.GetProperty("per_pair")[0];
        Assert.Equal("07_ref.png", pair.GetProperty("ref").GetString());
        Assert.Equal("07_dist.png", pair.GetProperty("dist").GetString());
    }

    [Fact]
    public void FoldersWithMixedSizesAndSpatialMaps()
    {
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders("01", "10", "16", "02");
        string spatial = dir.File("maps");
        var r = CliRunner.Run("lpips", refDir, distDir, "--net", "squeeze", "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Squeeze),
            "--spatial-out", spatial, "--batch-size", "3", "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("", r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        var perPair = doc.RootElement.GetProperty("per_pair").EnumerateArray().ToList();
        string[] ids = ["01", "02", "10", "16"];
        Assert.Equal(ids.Select(id => $"{id}.png"), perPair.Select(p => p.GetProperty("ref").GetString()));
        double mean = 0;
        foreach (var (p, id) in perPair.Zip(ids))
        {
            // Tier "float32 network": 1e-5 abs.
            Tolerance.Close(Expected("squeeze", id), p.GetProperty("value").GetDouble(), 1e-5, 0, $"cli squeeze {id}");
            mean += Expected("squeeze", id);
        }
        Tolerance.Close(mean / ids.Length, doc.RootElement.GetProperty("value").GetDouble(), 1e-5, 0, "cli squeeze mean");

        NpyArray map = NpyFile.Read(Path.Combine(spatial, "01.npy"));
        NpyArray golden = NpyFile.Read(Fixtures.Path("golden", "lpips", "spatial_squeeze_01.npy"));
        Assert.Equal(golden.Shape, map.Shape);
        // Tier "float32 network": 1e-5 abs per pixel.
        Tolerance.AllClose(golden.ToFloat32(), map.ToFloat32(), 1e-5, 0, "cli spatial squeeze 01");
        Assert.Equal(4, Directory.GetFiles(spatial, "*.npy").Length);
        Assert.Empty(Directory.GetFiles(spatial, "*.tmp"));
    }

    [Fact]
    public void HumanTableListsPairsAndMean()
    {
        var r = CliRunner.Run("lpips", LpipsFixture.PairPath("02", "ref"), LpipsFixture.PairPath("02", "dist"),
            "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex), "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("02_ref.png", r.Out, StringComparison.Ordinal);
        Assert.Contains("mean LPIPS v0.1 (alex) over 1 pair(s): ", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void SizeMismatchFailsNamingBothFiles() =>
        AssertUserError(CliRunner.Run("lpips", LpipsFixture.PairPath("01", "ref"), LpipsFixture.PairPath("16", "dist"),
            "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex)), "01_ref.png", "16_dist.png", "differ in size");

    [Fact]
    public void ImageBelowTheMinimumFailsNamingTheMinimum()
    {
        // Pair 16 is 48x48: fine for alex (31), so cut a 20x20 image for alex.
        using var dir = new ScratchFolder();
        string small = dir.File("small.png");
        WriteGrayPng(small, 20, 20);
        AssertUserError(CliRunner.Run("lpips", small, small, "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex)),
            "small.png", "needs at least 31x31 pixels");
    }

    [Fact]
    public void WrongBackboneFileFailsNamingKeys() =>
        AssertUserError(CliRunner.Run("lpips", LpipsFixture.PairPath("01", "ref"), LpipsFixture.PairPath("01", "dist"),
            "--net", "squeeze", "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex)),
            "alexnet_features.pth", "SqueezeNet", "features.3.squeeze.weight");

    [Fact]
    public void NotACheckpointFails()
    {
        AssertUserError(CliRunner.Run("lpips", LpipsFixture.PairPath("01", "ref"), LpipsFixture.PairPath("01", "dist"),
            "--backbone-weights", LpipsFixture.PairPath("01", "ref")), "01_ref.png", "not a PyTorch checkpoint");
    }

    [Fact]
    public void UnknownNetFails() =>
        AssertUserError(CliRunner.Run("lpips", LpipsFixture.PairPath("01", "ref"), LpipsFixture.PairPath("01", "dist"), "--net", "resnet"),
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

    /// <summary>Writes a gray 8-bit PNG through SkiaSharp (the decoder reads it back as gray → RGB).</summary>
    private static void WriteGrayPng(string path, int width, int height)
    {
        using var bitmap = new SkiaSharp.SKBitmap(width, height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Opaque);
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++) bitmap.SetPixel(x, y, new SkiaSharp.SKColor((byte)(x * 10), (byte)(y * 10), 128));
        }
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
