using System.Text.Json;

namespace GenMetrics.Tests.Metrics;

/// <summary>Reads numbers out of the golden JSON files by a path of keys.</summary>
internal static class GoldenJson
{
    private static readonly Dictionary<string, JsonDocument> Cache = new(StringComparer.Ordinal);

    public static double Number(string[] file, params string[] keys)
    {
        var e = Element(file, keys);
        return e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetDouble();
    }

    public static bool Boolean(string[] file, params string[] keys) => Element(file, keys).GetBoolean();

    public static JsonElement Element(string[] file, params string[] keys)
    {
        string path = Fixtures.Path(file);
        JsonDocument doc;
        lock (Cache)
        {
            if (!Cache.TryGetValue(path, out doc!))
            {
                doc = JsonDocument.Parse(File.ReadAllText(path));
                Cache[path] = doc;
            }
        }
        var e = doc.RootElement;
        foreach (string k in keys) e = e.GetProperty(k);
        return e;
    }
}
