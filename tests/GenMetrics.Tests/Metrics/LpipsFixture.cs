using System.Collections.Concurrent;
using System.Text.Json;
using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

/// <summary>
/// Shared, lazily built LPIPS networks on the fixture trunks (<c>weights/*_features.pth</c>), the decoded fixture
/// pairs and <c>golden/lpips/lpips.json</c>, so the parity, batching and CLI tests build each network once. Pair
/// numbers and spatial-map cases are read from the golden file, not assumed.
/// </summary>
internal static class LpipsFixture
{
    private static readonly ConcurrentDictionary<LpipsNetwork, Lazy<Lpips>> Networks = new();
    private static readonly ConcurrentDictionary<string, Lazy<(RgbImage Reference, RgbImage Distorted)>> Pairs = new();
    private static readonly Lazy<JsonElement> LazyGolden = new(() =>
        JsonDocument.Parse(File.ReadAllText(Fixtures.Path("golden", "lpips", "lpips.json"))).RootElement.Clone());

    public static LpipsNetwork[] AllNetworks { get; } = [LpipsNetwork.Alex, LpipsNetwork.Vgg, LpipsNetwork.Squeeze];

    /// <summary>The golden file's root object.</summary>
    public static JsonElement Golden => LazyGolden.Value;

    public static string NetName(LpipsNetwork network) => network switch
    {
        LpipsNetwork.Alex => "alex",
        LpipsNetwork.Vgg => "vgg",
        _ => "squeeze",
    };

    /// <summary>The pair numbers the golden file has for <paramref name="network"/> ("01", "02", …), in order.</summary>
    public static IReadOnlyList<string> PairNumbers(LpipsNetwork network) =>
        [.. Golden.GetProperty("values").GetProperty(NetName(network)).EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    /// <summary>The reference's distance for a pair, or null where the reference raised (e.g. an image too small).</summary>
    public static double? Expected(LpipsNetwork network, string number)
    {
        JsonElement entry = Golden.GetProperty("values").GetProperty(NetName(network)).GetProperty(number);
        return entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("lpips", out JsonElement v) && v.ValueKind == JsonValueKind.Number
            ? v.GetDouble()
            : null;
    }

    /// <summary>Pairs the reference could measure with <paramref name="network"/>.</summary>
    public static IReadOnlyList<string> MeasurablePairs(LpipsNetwork network) =>
        [.. PairNumbers(network).Where(n => Expected(network, n) is not null)];

    /// <summary>The fixture trunk file of <paramref name="network"/>.</summary>
    public static string BackboneWeights(LpipsNetwork network) => Fixtures.Path("weights", network switch
    {
        LpipsNetwork.Alex => "alexnet_features.pth",
        LpipsNetwork.Vgg => "vgg16_features.pth",
        _ => "squeezenet1_1_features.pth",
    });

    public static Lpips Network(LpipsNetwork network) => Networks.GetOrAdd(network, n => new Lazy<Lpips>(() =>
        new Lpips(new LpipsOptions { Network = n, BackboneWeightsPath = BackboneWeights(n), Threads = 2 }))).Value;

    public static string PairPath(string number, string role) => Fixtures.Path("images", "pairs", $"{number}_{role}.png");

    public static (RgbImage Reference, RgbImage Distorted) Pair(string number) => Pairs.GetOrAdd(number, k => new Lazy<(RgbImage, RgbImage)>(() =>
        (ImageDecoder.Decode(PairPath(k, "ref")), ImageDecoder.Decode(PairPath(k, "dist"))))).Value;

    /// <summary>The top-left <paramref name="width"/>×<paramref name="height"/> corner of <paramref name="image"/>.</summary>
    public static RgbImage Crop(RgbImage image, int width, int height)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            Array.Copy(image.Pixels, y * image.Width * 3, pixels, y * width * 3, width * 3);
        }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>A deterministic textured image (no fixture size assumptions).</summary>
    public static RgbImage Synthetic(int width, int height, int seed)
    {
        var random = new Random(seed);
        var pixels = new byte[width * height * 3];
        random.NextBytes(pixels);
        return new RgbImage(width, height, pixels);
    }

    /// <summary>Writes <paramref name="image"/> as an 8-bit RGB PNG through SkiaSharp.</summary>
    public static void WritePng(string path, RgbImage image)
    {
        using var bitmap = new SkiaSharp.SKBitmap(image.Width, image.Height, SkiaSharp.SKColorType.Rgba8888, SkiaSharp.SKAlphaType.Opaque);
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int p = (y * image.Width + x) * 3;
                bitmap.SetPixel(x, y, new SkiaSharp.SKColor(image.Pixels[p], image.Pixels[p + 1], image.Pixels[p + 2]));
            }
        }
        using var data = bitmap.Encode(SkiaSharp.SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
