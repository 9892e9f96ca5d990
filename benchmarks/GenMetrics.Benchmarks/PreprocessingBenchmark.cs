using GenMetrics.Features;
using GenMetrics.Imaging;

namespace GenMetrics.Benchmarks;

/// <summary>
/// Resize + normalisation of one image to the 3×299×299 network input, per protocol: a 256×256 fixture image
/// (enlarged) and a 1024×768 synthetic image (shrunk, where the antialiased kernel has ~8 taps per axis).
/// </summary>
internal sealed class PreprocessingBenchmark : IBenchmark
{
    public string Name => "preprocess";

    public string Description => "decoded RGB -> 3x299x299 network input, per protocol, 256x256 and 1024x768 images";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        var small = ImageDecoder.Decode(Path.Combine(options.FixturesRoot, "images", "set_a", "a_000.png"));
        var pixels = new byte[1024 * 768 * 3];
        for (int i = 0; i < pixels.Length; i++) pixels[i] = (byte)((i * 37 + i / 3071 * 11) % 256);
        var large = new RgbImage(1024, 768, pixels);
        var input = new float[3 * 299 * 299];
        foreach (var protocol in KnownProtocols.All)
        {
            foreach (var image in new[] { small, large })
            {
                SsimBenchmark.Measure(output, $"{protocol.Name} {image.Width}x{image.Height}", () =>
                {
                    protocol.Prepare(image.Pixels, image.Width, image.Height, input);
                    return input[0];
                });
            }
        }
    }
}
