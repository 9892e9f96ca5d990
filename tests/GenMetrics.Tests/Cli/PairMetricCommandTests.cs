using System.IO.Compression;
using System.Text.Json;
using GenMetrics.Tests.Imaging;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Cli;

/// <summary>The ssim, ms-ssim and psnr verbs run in-process: files, folders, zips, JSON, and every bad-input exit.</summary>
public sealed class PairMetricCommandTests
{
    private static string PairFile(string id, string side) => Fixtures.Path("images", "pairs", $"{id}_{side}.png");

    [Fact]
    public void SsimOnTwoFilesPrintsJsonWithSettings()
    {
        var r = CliRunner.Run("ssim", PairFile("07", "ref"), PairFile("07", "dist"), "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("ssim", root.GetProperty("metric").GetString());
        Assert.Equal(1, root.GetProperty("count").GetInt32());
        Assert.Equal("gaussian", root.GetProperty("settings").GetProperty("window").GetString());
        Assert.Equal(11, root.GetProperty("settings").GetProperty("win_size").GetInt32());
        // Tier: 1e-7 abs, the SSIM parity tolerance (same code path as the library test).
        Tolerance.Close(PixelMetricGoldens.Get("07").Get("skimage_wang")!.Value, root.GetProperty("value").GetDouble(), 1e-7, 0, "cli ssim 07");
        var pair = root.GetProperty("per_pair")[0];
        Assert.Equal("07_ref.png", pair.GetProperty("ref").GetString());
        Assert.Equal("07_dist.png", pair.GetProperty("dist").GetString());
    }

    [Fact]
    public void SsimUniformWindowOnFolderAndZip()
    {
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders("03", "10", "16");
        string zip = dir.File("dist.zip");
        ZipFile.CreateFromDirectory(distDir, zip);
        foreach (string dist in new[] { distDir, zip })
        {
            var r = CliRunner.Run("ssim", refDir, dist, "--window", "uniform", "--json", "--quiet");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("", r.Error);
            using var doc = JsonDocument.Parse(r.Out);
            var perPair = doc.RootElement.GetProperty("per_pair").EnumerateArray().ToList();
            Assert.Equal(["03.png", "10.png", "16.png"], perPair.Select(p => p.GetProperty("ref").GetString()));
            double mean = 0;
            foreach (var (p, id) in perPair.Zip(new[] { "03", "10", "16" }))
            {
                double expected = PixelMetricGoldens.Get(id).Get("skimage_default")!.Value;
                // Tier: 1e-7 abs, SSIM parity.
                Tolerance.Close(expected, p.GetProperty("value").GetDouble(), 1e-7, 0, $"cli uniform {id}");
                mean += expected;
            }
            Tolerance.Close(mean / 3, doc.RootElement.GetProperty("value").GetDouble(), 1e-7, 0, "cli uniform mean");
        }
    }

    [Fact]
    public void HumanTableListsPairsAndMean()
    {
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders("01", "02");
        var r = CliRunner.Run("ssim", refDir, distDir, "--quiet");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("01.png", r.Out, StringComparison.Ordinal);
        Assert.Contains("mean SSIM over 2 pair(s): ", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void ProgressGoesToStderrUnlessQuiet()
    {
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders("01", "02");
        var r = CliRunner.Run("psnr", refDir, distDir, "--json");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("psnr", r.Error, StringComparison.Ordinal);
        using var _ = JsonDocument.Parse(r.Out);
    }

    [Fact]
    public void PsnrReportsInfinityAndBothSetValues()
    {
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders("07", "09");
        var r = CliRunner.Run("psnr", refDir, distDir, "--json", "--quiet");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("Infinity", root.GetProperty("value").GetString());
        Assert.Equal("Infinity", root.GetProperty("mean_psnr").GetString());
        Assert.Equal("Infinity", root.GetProperty("per_pair")[1].GetProperty("value").GetString());
        // Pairs 07 and 09 are both 512x512 RGB and 09 is identical, so the pooled MSE is half of pair 07's:
        // dataset PSNR = PSNR(07) + 10·log10(2). Tier: 1e-9 dB, exact integer MSE.
        double psnr07 = PixelMetricGoldens.Get("07").Get("psnr")!.Value;
        Tolerance.Close(psnr07 + 10 * Math.Log10(2), root.GetProperty("dataset_psnr").GetDouble(), 1e-9, 0, "dataset psnr");
        Tolerance.Close(psnr07, root.GetProperty("per_pair")[0].GetProperty("value").GetDouble(), 1e-9, 0, "psnr 07");
    }

    [Fact]
    public void MsSsimOnTwoFiles()
    {
        var r = CliRunner.Run("ms-ssim", PairFile("11", "ref"), PairFile("11", "dist"), "--json");
        Assert.Equal(0, r.ExitCode);
        using var doc = JsonDocument.Parse(r.Out);
        // Tier: 1e-6 abs, MS-SSIM parity against the float64 golden.
        Tolerance.Close(PixelMetricGoldens.Get("11").Get("msssim_ms_ssim_float64")!.Value, doc.RootElement.GetProperty("value").GetDouble(), 1e-6, 0, "cli ms-ssim 11");
        Assert.Equal(5, doc.RootElement.GetProperty("settings").GetProperty("weights").GetArrayLength());
    }

    [Fact]
    public void MissingPathFails() =>
        AssertUserError(CliRunner.Run("ssim", "/no/such/ref", PairFile("01", "dist")), "/no/such/ref");

    [Fact]
    public void TruncatedPngFails()
    {
        using var dir = new ScratchFolder();
        byte[] data = File.ReadAllBytes(PairFile("01", "dist"));
        string cut = dir.File("cut.png");
        File.WriteAllBytes(cut, data[..(data.Length / 2)]);
        AssertUserError(CliRunner.Run("psnr", PairFile("01", "ref"), cut), "cut.png");
    }

    [Fact]
    public void TruncatedJpegFails()
    {
        using var dir = new ScratchFolder();
        byte[] data = File.ReadAllBytes(Fixtures.Path("images", "odd", "jpeg_q95_444.jpg"));
        string cut = dir.File("cut.jpg");
        File.WriteAllBytes(cut, data[..(data.Length / 3)]);
        AssertUserError(CliRunner.Run("ssim", Fixtures.Path("images", "odd", "jpeg_q95_444.jpg"), cut), "cut.jpg");
    }

    [Fact]
    public void SizeMismatchFailsNamingBothFiles() =>
        AssertUserError(CliRunner.Run("ssim", PairFile("01", "ref"), PairFile("03", "dist")), "differ in size");

    [Fact]
    public void EmptyFolderFails()
    {
        using var dir = new ScratchFolder();
        Directory.CreateDirectory(dir.File("ref", "x"));
        Directory.CreateDirectory(dir.File("dist", "x"));
        AssertUserError(CliRunner.Run("ssim", Path.Combine(dir.Root, "ref"), Path.Combine(dir.Root, "dist")), "no images");
    }

    [Fact]
    public void MissingPartnersAreListed()
    {
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders("01", "02");
        File.Delete(Path.Combine(distDir, "02.png"));
        File.Copy(PairFile("16", "dist"), Path.Combine(distDir, "16.png"));
        var r = CliRunner.Run("psnr", refDir, distDir);
        AssertUserError(r, "no partner");
        Assert.Contains("02.png", r.Error, StringComparison.Ordinal);
        Assert.Contains("16.png", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void FileAgainstFolderFails()
    {
        using var dir = new ScratchFolder();
        var (refDir, _) = dir.PairFolders("01");
        AssertUserError(CliRunner.Run("ssim", refDir, PairFile("01", "dist")), "two image files");
    }

    [Fact]
    public void PairBelowMsSsimMinimumFails() =>
        AssertUserError(CliRunner.Run("ms-ssim", PairFile("12", "ref"), PairFile("12", "dist")), "> 160");

    [Fact]
    public void ImageSmallerThanSsimWindowFails() =>
        AssertUserError(CliRunner.Run("ssim", Fixtures.Path("images", "odd", "tiny_1x1.png"), Fixtures.Path("images", "odd", "tiny_1x1.png")), "SSIM window");

    [Fact]
    public void BadWindowOptionFails() =>
        AssertUserError(CliRunner.Run("ssim", PairFile("01", "ref"), PairFile("01", "dist"), "--window", "box"), "--window");

    [Fact]
    public void WrongNumberOfInputsFails() =>
        AssertUserError(CliRunner.Run("psnr", PairFile("01", "ref")), "DIST");

    private static void AssertUserError(CliRunner.Result r, string expectedFragment)
    {
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Out);
        string[] lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string last = lines[^1];
        Assert.StartsWith("error: ", last, StringComparison.Ordinal);
        Assert.Contains(expectedFragment, last, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Error, StringComparison.Ordinal);
    }
}
