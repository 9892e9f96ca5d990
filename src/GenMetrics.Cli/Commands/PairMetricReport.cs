using System.Text.Json;
using GenMetrics.Cli.Reports;
using GenMetrics.Imaging;

namespace GenMetrics.Cli.Commands;

/// <summary>What a full-reference verb (ssim, ms-ssim, psnr) prints: per-pair values, the set value(s) and the settings.</summary>
/// <param name="Metric">Metric name, e.g. "ssim".</param>
/// <param name="ReferencePath">REF as given.</param>
/// <param name="DistortedPath">DIST as given.</param>
/// <param name="PerPair">Per-pair values in pair order.</param>
/// <param name="Value">The headline value: the mean over pairs.</param>
/// <param name="Summary">Labelled set-level values for the human table (the first is the mean); JSON writes them under their keys.</param>
/// <param name="Settings">Writes the settings used into the JSON result's <c>settings</c> object.</param>
/// <param name="Format">Formats one value for the human table.</param>
internal sealed record PairMetricReport(
    string Metric,
    string ReferencePath,
    string DistortedPath,
    IReadOnlyList<(ImagePair Pair, double Value)> PerPair,
    double Value,
    IReadOnlyList<(string JsonKey, string Label, double Value)> Summary,
    Action<Utf8JsonWriter> Settings,
    Func<double, string> Format)
{
    /// <summary>Whether a larger value means a worse pair (LPIPS) rather than a better one (SSIM, MS-SSIM, PSNR).</summary>
    public bool HigherIsWorse { get; init; }

    /// <summary>
    /// The spatial maps (row-major H×W) of the given decoded pairs, for the report's heat maps; null when the metric
    /// has none. Called once, with only the pairs the report shows.
    /// </summary>
    public Func<IReadOnlyList<DecodedPair>, IReadOnlyList<float[]>>? SpatialMaps { get; init; }

    /// <summary>
    /// Prints the values (table, or JSON with <see cref="CliContext.Json"/>; the JSON also to <see cref="CliContext.ResultPath"/>)
    /// and, when <paramref name="report"/> is given, writes the HTML report.
    /// </summary>
    public void Write(CliContext context, ReportRequest? report = null)
    {
        if (report is not null) PairReportBuilder.Build(this, report).Save(report.Path);
        context.WriteResult(Metric, WriteJson, WriteTable);
    }

    private void WriteJson(Utf8JsonWriter w)
    {
        w.WriteString("metric", Metric);
        JsonOutput.WriteNumber(w, "value", Value);
        w.WriteNumber("count", PerPair.Count);
        foreach (var (key, _, value) in Summary) JsonOutput.WriteNumber(w, key, value);
        w.WriteString("ref_path", ReferencePath);
        w.WriteString("dist_path", DistortedPath);
        w.WriteStartObject("settings");
        Settings(w);
        w.WriteEndObject();
        ResultInput.WriteAll(w, [new("ref", ReferencePath, "images", PerPair.Count), new("dist", DistortedPath, "images", PerPair.Count)]);
        w.WriteStartArray("per_pair");
        foreach (var (pair, value) in PerPair)
        {
            w.WriteStartObject();
            w.WriteString("ref", pair.Reference.RelativePath);
            w.WriteString("dist", pair.Distorted.RelativePath);
            JsonOutput.WriteNumber(w, "value", value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private void WriteTable(TextWriter output)
    {
        int refWidth = Math.Max(3, PerPair.Max(p => p.Pair.Reference.RelativePath.Length));
        int distWidth = Math.Max(4, PerPair.Max(p => p.Pair.Distorted.RelativePath.Length));
        output.WriteLine($"{"ref".PadRight(refWidth)}  {"dist".PadRight(distWidth)}  {Metric}");
        foreach (var (pair, value) in PerPair)
        {
            output.WriteLine($"{pair.Reference.RelativePath.PadRight(refWidth)}  {pair.Distorted.RelativePath.PadRight(distWidth)}  {Format(value)}");
        }
        output.WriteLine();
        foreach (var (_, label, value) in Summary) output.WriteLine($"{label}: {Format(value)}");
        output.Flush();
    }
}
