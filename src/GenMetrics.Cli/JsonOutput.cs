using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace GenMetrics.Cli;

/// <summary>Writes one indented JSON object to a <see cref="TextWriter"/>.</summary>
internal static class JsonOutput
{
    /// <summary>Writes the object that <paramref name="body"/> fills, followed by a newline.</summary>
    public static void WriteObject(TextWriter output, Action<Utf8JsonWriter> body)
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
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        output.Flush();
    }

    /// <summary>
    /// Writes a number; +∞, −∞ and NaN (which JSON cannot hold) are written as the strings "Infinity",
    /// "-Infinity" and "NaN", the spelling Python's json module and System.Text.Json read back.
    /// </summary>
    public static void WriteNumber(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value)) writer.WriteNumber(name, value);
        else writer.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
    }
}
