using GenMetrics.Imaging;
using GenMetrics.Tests.Imaging;

namespace GenMetrics.Tests.Samples;

/// <summary>
/// The images under <c>samples/images/</c> are <see cref="SampleImageGenerator"/>'s output, pixel for pixel, at the
/// documented sizes. <c>GENMETRICS_WRITE_SAMPLES=1</c> rewrites them from the generator first (run this test alone).
/// </summary>
public sealed class SampleImagesTests
{
    private static string Folder => Path.Combine(Fixtures.RepositoryRoot, "samples", "images");

    [Fact]
    public void CommittedSamplesAreTheGeneratorsOutput()
    {
        var expected = SampleImageGenerator.All().ToList();
        if (Environment.GetEnvironmentVariable("GENMETRICS_WRITE_SAMPLES") == "1")
        {
            foreach (var (relative, width, height, rgb) in expected)
            {
                string path = Path.Combine(Folder, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, PngTestWriter.Write(width, height, colorType: 2, bitDepth: 8, Array.ConvertAll(rgb, b => (int)b), interlaced: false));
            }
        }
        foreach (var (relative, width, height, rgb) in expected)
        {
            string path = Path.Combine(Folder, relative);
            Assert.True(File.Exists(path), $"{path} is missing; regenerate with GENMETRICS_WRITE_SAMPLES=1 (see samples/images/README.md)");
            var image = ImageDecoder.Decode(path);
            Assert.Equal((width, height), (image.Width, image.Height));
            Assert.True(rgb.AsSpan().SequenceEqual(image.Pixels), $"{relative} differs from the generator's pixels");
        }
        // Nothing else is shipped there (besides the README), so the documented sets are exactly these.
        var shipped = Directory.GetFiles(Folder, "*.png", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Folder, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(expected.Select(e => e.RelativePath).Order(StringComparer.Ordinal), shipped);
    }

    [Fact]
    public void TheSamplesStaySmall()
    {
        long bytes = Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes < 500_000, $"samples/images holds {bytes} bytes; keep it to a few hundred KB");
    }
}
