using System.Text.Json;
using GenMetrics.Evaluation;
using GenMetrics.Imaging;

namespace GenMetrics.Cli.Commands;

/// <summary>One input of a result's <c>inputs</c> array: its role, the path as given, what it is and how many samples it holds.</summary>
/// <param name="Role">real, fake, ref, dist, logits, input or shard.</param>
/// <param name="Path">The path as given on the command line.</param>
/// <param name="Kind">images, features, statistics, adm-batch or checkpoint (<see cref="KindOf"/>).</param>
/// <param name="Count">Samples (images, feature rows, pairs); null when not known (e.g. a stats file without n).</param>
internal sealed record ResultInput(string Role, string Path, string Kind, long? Count = null)
{
    /// <summary>What an input path is: image folder/zip/file, ADM batch (.npz with arr_0), statistics (.npz) or features (.npy).</summary>
    public static string KindOf(string path)
    {
        if (path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(path))
        {
            return AdmBatchFile.IsBatch(path) ? "adm-batch" : "statistics";
        }
        return DistributionEvaluation.IsImageInput(path) ? "images" : "features";
    }

    /// <summary>An input of <see cref="KindOf"/> its path; a count of 0 or less is written as unknown (absent).</summary>
    public static ResultInput Of(string role, string path, long? count) => new(role, path, KindOf(path), count > 0 ? count : null);

    /// <summary>Writes the <c>inputs</c> array.</summary>
    public static void WriteAll(Utf8JsonWriter w, IEnumerable<ResultInput> inputs)
    {
        w.WriteStartArray("inputs");
        foreach (var input in inputs)
        {
            w.WriteStartObject();
            w.WriteString("role", input.Role);
            w.WriteString("path", input.Path);
            w.WriteString("kind", input.Kind);
            if (input.Count is long n) w.WriteNumber("count", n);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
