using System.Text.Encodings.Web;
using System.Text.Json;

namespace GenMetrics.Cli;

/// <summary>
/// The one JSON writer of the CLI: indented UTF-8 objects, and the one spelling of numbers (see
/// <see cref="WriteNumber(Utf8JsonWriter, string, double)"/>). Every verb's result goes through
/// <see cref="CliContext.WriteResult"/>, which renders it here; docs/genmetrics-result.schema.json describes it.
/// </summary>
internal static class JsonOutput
{
    /// <summary>The strings that stand for +∞, −∞ and NaN, which JSON numbers cannot hold.</summary>
    public static readonly IReadOnlyList<string> NonFiniteSpellings = ["Infinity", "-Infinity", "NaN"];

    /// <summary>The object that <paramref name="body"/> fills, as indented UTF-8 bytes (no trailing newline).</summary>
    public static byte[] Render(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions
        {
            Indented = true,
            // Plain UTF-8 for terminals and pipes (paths with quotes or non-ASCII stay readable); never embedded in HTML.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }
        return stream.ToArray();
    }

    /// <summary>
    /// Writes a number property. Finite values are JSON numbers (shortest round-trip form); +∞, −∞ and NaN are
    /// the strings "Infinity", "-Infinity" and "NaN": what Python's <c>float()</c> and System.Text.Json's
    /// <c>JsonNumberHandling.AllowNamedFloatingPointLiterals</c> read back.
    /// </summary>
    public static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        writer.WritePropertyName(name);
        WriteNumberValue(writer, value);
    }

    /// <summary>Writes a number array element, spelled as <see cref="WriteNumber(Utf8JsonWriter, string, double)"/>.</summary>
    public static void WriteNumberValue(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteStringValue(NonFiniteSpellings[double.IsNaN(value) ? 2 : value > 0 ? 0 : 1]);
    }

    /// <summary>Writes the <c>device</c> setting: <c>cpu</c> or <c>cuda</c>, as <c>--device</c> spells it.</summary>
    public static void WriteDevice(Utf8JsonWriter writer, ComputeDevice device) =>
        writer.WriteString("device", device == ComputeDevice.Cuda ? "cuda" : "cpu");

    /// <summary>Writes a string property, or nothing when <paramref name="value"/> is null (absent, not null).</summary>
    public static void WriteOptionalString(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null) writer.WriteString(name, value);
    }
}
