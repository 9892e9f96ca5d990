using System.Text.Json;
using GenMetrics.Imaging;

namespace GenMetrics.Tests.Metrics;

/// <summary>golden/ssim/ssim.json and the decoded images/pairs, loaded once for all pixel-metric tests.</summary>
internal static class PixelMetricGoldens
{
    public sealed record Pair(string Id, RgbImage Reference, RgbImage Distorted, JsonElement Values)
    {
        public double? Get(string key) => !Values.TryGetProperty(key, out var v) ? null : v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => double.Parse(v.GetString()!.Replace("inf", "Infinity", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture),
            _ => v.GetDouble(),
        };
    }

    private static readonly Lazy<IReadOnlyList<Pair>> LazyPairs = new(Load);

    public static IReadOnlyList<Pair> Pairs => LazyPairs.Value;

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("golden", "ssim", "ssim.json")));
        foreach (var p in doc.RootElement.GetProperty("values").EnumerateObject()) data.Add(p.Name);
        return data;
    }

    public static Pair Get(string id) => Pairs.Single(p => p.Id == id);

    private static IReadOnlyList<Pair> Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("golden", "ssim", "ssim.json")));
        var pairs = new List<Pair>();
        foreach (var p in doc.RootElement.GetProperty("values").EnumerateObject())
        {
            pairs.Add(new Pair(p.Name,
                ImageDecoder.Decode(Fixtures.Path("images", "pairs", $"{p.Name}_ref.png")),
                ImageDecoder.Decode(Fixtures.Path("images", "pairs", $"{p.Name}_dist.png")),
                p.Value.Clone()));
        }
        return pairs;
    }
}
