using System.Text.Json;

namespace GenMetrics.Cli.Commands;

/// <summary>What a verb adds to a result after the metric values: JSON properties and text lines.</summary>
internal sealed record ResultAddition(Action<Utf8JsonWriter> Json, Action<TextWriter> Text);
