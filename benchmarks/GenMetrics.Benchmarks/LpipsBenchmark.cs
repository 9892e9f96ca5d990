using System.Diagnostics;
using System.Globalization;
using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Benchmarks;

/// <summary>
/// LPIPS pairs/s at 256×256 for each trunk, batch 16, on in-memory images (set_a[i] vs set_b[i], 32 pairs):
/// the network part the reference figure (lpips with AlexNet ≈ 9 pairs/s on this 2-core machine) measures.
/// </summary>
internal sealed class LpipsBenchmark : IBenchmark
{
    private const int PairCount = 32;

    public string Name => "lpips";

    public string Description => "LPIPS v0.1 pairs/s at 256x256 per trunk, batch 16 (reference: lpips alex ~9 pairs/s, target >= 13.5)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        var pairs = new (RgbImage, RgbImage)[PairCount];
        for (int i = 0; i < PairCount; i++)
        {
            string name = i.ToString("000", CultureInfo.InvariantCulture);
            pairs[i] = (ImageDecoder.Decode(Path.Combine(options.FixturesRoot, "images", "set_a", $"a_{name}.png")),
                ImageDecoder.Decode(Path.Combine(options.FixturesRoot, "images", "set_b", $"b_{name}.png")));
        }
        foreach (var (network, file) in new[]
        {
            (LpipsNetwork.Alex, "alexnet_features.pth"),
            (LpipsNetwork.Squeeze, "squeezenet1_1_features.pth"),
            (LpipsNetwork.Vgg, "vgg16_features.pth"),
        })
        {
            var clock = Stopwatch.StartNew();
            using var lpips = new Lpips(new LpipsOptions
            {
                Network = network,
                BackboneWeightsPath = Path.Combine(options.FixturesRoot, "weights", file),
                BatchSize = 16,
                Threads = options.Threads,
            });
            double loadSeconds = clock.Elapsed.TotalSeconds;
            lpips.Compute(pairs[..16]); // warm-up: first run allocates ONNX Runtime's arena
            int rounds = network == LpipsNetwork.Vgg ? 1 : 3;
            clock.Restart();
            for (int r = 0; r < rounds; r++) lpips.Compute(pairs);
            double seconds = clock.Elapsed.TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"lpips-{network.ToString().ToLowerInvariant(),-8} {rounds * PairCount / seconds,8:F1} pairs/s  ({rounds * PairCount} pairs in {seconds:F2} s; build {loadSeconds:F2} s)"));
        }
    }
}
