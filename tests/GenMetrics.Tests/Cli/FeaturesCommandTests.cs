using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Networks;
using static GenMetrics.Tests.Features.InceptionFeatures;

namespace GenMetrics.Tests.Cli;

public sealed class FeaturesCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("genmetrics-features-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void WritesTorchFidelityLogitsOfOddImagesAsNpyWithJsonProvenance()
    {
        // Three small odd images: fast, and they exercise the resize of unusual sizes end to end.
        string images = Path.Combine(_folder, "images");
        Directory.CreateDirectory(images);
        foreach (string name in new[] { "small_odd.png", "tiny_1x1.png", "bmp_rgb24.bmp" })
        {
            File.Copy(Fixtures.Path("images", "odd", name), Path.Combine(images, name));
        }
        string output = Path.Combine(_folder, "logits.npy");
        var result = CliRunner.Run("features", images, "--out", output, "--protocol", "torch-fidelity", "--layer", "logits",
            "--weights", WeightsPath, "--batch-size", "2", "--threads", "2", "--json", "--quiet");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("\"protocol\": \"torch-fidelity\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("\"weights_sha256\"", result.Out, StringComparison.Ordinal);

        NpyArray array = NpyFile.Read(output);
        Assert.Equal([3, 1008], array.Shape);
        Assert.Equal("f4", array.Dtype);
        double[] actual = array.ToFloat64();
        string[] stems = ["bmp_rgb24", "small_odd", "tiny_1x1"]; // sorted file order
        for (int i = 0; i < stems.Length; i++)
        {
            double[] expected = Golden("golden", "fid_tf", "odd", $"{stems[i]}_logits.npy");
            // tier network-logits (FeatureParityTests): atol 2e-3 on logits in [-25, 20]
            Tolerance.AllClose(expected, actual.AsSpan(i * 1008, 1008), 2e-3, 1e-4, $"cli logits {stems[i]}");
        }
    }

    [Fact]
    public void CorruptImageIsOneLineErrorAndNoOutputFile()
    {
        string images = Path.Combine(_folder, "bad");
        Directory.CreateDirectory(images);
        File.Copy(Fixtures.Path("images", "odd", "small_odd.png"), Path.Combine(images, "a.png"));
        File.WriteAllText(Path.Combine(images, "b.jpg"), "not a jpeg");
        string output = Path.Combine(_folder, "bad.npy");
        var result = CliRunner.Run("features", images, "--out", output, "--weights", WeightsPath, "--quiet");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("b.jpg", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
        Assert.Empty(Directory.GetFiles(_folder, "bad.npy*"));
    }

    [Fact]
    public void WrongWeightsIsOneLineErrorAndNoOutputFile()
    {
        string output = Path.Combine(_folder, "w.npy");
        var result = CliRunner.Run("features", Fixtures.Path("images", "odd", "small_odd.png"), "--out", output,
            "--weights", Fixtures.Path("weights", "vgg16_features.pth"), "--quiet");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("vgg16_features.pth", result.Error, StringComparison.Ordinal);
        Assert.Contains("FID Inception-v3", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("--protocol", "tensorflow")]
    [InlineData("--layer", "4096")]
    [InlineData("--batch-size", "0")]
    public void BadOptionsAreOneLineErrors(string option, string value)
    {
        string output = Path.Combine(_folder, "x.npy");
        var result = CliRunner.Run("features", Fixtures.Path("images", "odd", "small_odd.png"), "--out", output,
            "--weights", WeightsPath, option, value);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(option, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void MissingOutIsAnError()
    {
        var result = CliRunner.Run("features", Fixtures.Path("images", "odd", "small_odd.png"), "--weights", WeightsPath);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--out", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaWithoutCudaProviderIsOneLineErrorAndNoOutputFile()
    {
        string output = Path.Combine(_folder, "cuda.npy");
        var result = CliRunner.Run("features", Fixtures.Path("images", "odd", "small_odd.png"), "--out", output,
            "--weights", WeightsPath, "--device", "cuda", "--quiet");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("(option --device)", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }
}
