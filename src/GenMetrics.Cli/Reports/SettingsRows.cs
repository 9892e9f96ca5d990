using System.Text.Json;

namespace GenMetrics.Cli.Reports;

/// <summary>The settings a verb writes into its JSON output, as (name, value) rows for a report: one source for both.</summary>
internal static class SettingsRows
{
    public static List<IReadOnlyList<string>> From(Action<Utf8JsonWriter> settings)
    {
        using var document = JsonDocument.Parse(JsonOutput.Render(settings));
        var rows = new List<IReadOnlyList<string>>();
        foreach (var property in document.RootElement.EnumerateObject()) rows.Add([property.Name, Text(property.Value)]);
        return rows;
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(Text)),
        JsonValueKind.String => value.GetString() ?? "",
        _ => value.GetRawText(),
    };
}
