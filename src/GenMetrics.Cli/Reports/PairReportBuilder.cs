using GenMetrics.Cli.Commands;
using GenMetrics.Imaging;

namespace GenMetrics.Cli.Reports;

/// <summary>
/// The HTML report of a full-reference verb (lpips, ssim, ms-ssim, psnr), built from the values the verb computed:
/// summary table, histogram, the worst pairs as thumbnails (reference | distorted | LPIPS heat map when the verb
/// provides spatial maps) and the settings. Only the shown pairs are decoded again, for their thumbnails.
/// </summary>
internal static class PairReportBuilder
{
    /// <summary>Section ids, in page order (the browser test looks for them).</summary>
    public static readonly string[] SectionIds = ["summary", "histogram", "worst-pairs", "settings"];

    /// <summary>Heat-map colours (ScottPlot's Inferno): dark for no difference, bright yellow for the largest shown.</summary>
    private static readonly ScottPlot.IColormap HeatColours = new ScottPlot.Colormaps.Inferno();

    public static HtmlDocument Build(PairMetricReport report, ReportRequest request)
    {
        ArgumentNullException.ThrowIfNull(report);
        var doc = new HtmlDocument($"genmetrics {report.Metric} report");
        doc.Heading($"genmetrics {report.Metric}: {report.PerPair.Count} pair(s)",
            $"REF {report.ReferencePath} vs DIST {report.DistortedPath}; generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by genmetrics {CliApplication.Version}.");

        var values = report.PerPair.Select(p => p.Value).ToArray();
        var summary = new ValueSummary(values);
        doc.BeginSection("summary", "Summary");
        var rows = new List<IReadOnlyList<string>>
        {
            Row("pairs", summary.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        foreach (var (_, label, value) in report.Summary) rows.Add(Row(label, report.Format(value)));
        rows.Add(Row("median", report.Format(summary.Median)));
        rows.Add(Row("min", report.Format(summary.Min)));
        foreach (double q in new[] { 5.0, 25.0, 75.0, 95.0 }) rows.Add(Row($"percentile {q:0}", report.Format(summary.Percentile(q))));
        rows.Add(Row("max", report.Format(summary.Max)));
        if (values.All(double.IsFinite)) rows.Add(Row("standard deviation (population)", report.Format(summary.StandardDeviation)));
        doc.Table(["statistic", report.Metric], rows);
        doc.Note(report.HigherIsWorse ? $"Higher {report.Metric} means more different." : $"Lower {report.Metric} means more different.");
        doc.EndSection();

        doc.BeginSection("histogram", "Distribution of the per-pair values");
        int infinite = values.Count(double.IsPositiveInfinity);
        doc.Chart(HistogramChart.Draw(values, report.Metric, $"{report.Metric} per pair (n = {values.Length})", (report.Value, "mean")),
            $"histogram of {report.Metric} per pair");
        if (infinite > 0) doc.Note($"{infinite} identical pair(s) have infinite {report.Metric} and are not in the histogram.");
        doc.EndSection();

        WorstPairs(doc, report, request.Count);

        doc.BeginSection("settings", "Settings");
        doc.Table(["setting", "value"], SettingsRows.From(report.Settings));
        doc.EndSection();
        return doc;
    }

    /// <summary>Pair indices from worst to best (ties: pair order), at most <paramref name="count"/>.</summary>
    internal static int[] WorstIndices(IReadOnlyList<double> values, bool higherIsWorse, int count)
    {
        var order = Enumerable.Range(0, values.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = higherIsWorse ? values[b].CompareTo(values[a]) : values[a].CompareTo(values[b]);
            return c != 0 ? c : a.CompareTo(b);
        });
        return order[..Math.Min(count, order.Length)];
    }

    private static void WorstPairs(HtmlDocument doc, PairMetricReport report, int count)
    {
        var values = report.PerPair.Select(p => p.Value).ToArray();
        int[] worst = WorstIndices(values, report.HigherIsWorse, count);
        doc.BeginSection("worst-pairs", $"The {worst.Length} worst pair(s)");
        var decoded = worst.Select(i =>
        {
            ImagePair pair = report.PerPair[i].Pair;
            return new DecodedPair(pair, pair.Reference.Decode(), pair.Distorted.Decode());
        }).ToList();
        IReadOnlyList<float[]>? maps = report.SpatialMaps?.Invoke(decoded);
        if (maps is not null)
        {
            doc.Note("Heat map: the LPIPS spatial map (spatial=True) of each pair, from 0 (black) to that pair's largest value " +
                "(yellow, given under the map), so it shows where a pair differs; compare pairs by their LPIPS value.");
        }
        var rows = new List<IReadOnlyList<string>>();
        for (int r = 0; r < worst.Length; r++)
        {
            var (pair, value) = report.PerPair[worst[r]];
            var cells = new List<string>
            {
                (r + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                HtmlDocument.Encode(report.Format(value)),
                HtmlDocument.Figure(Thumbnails.Of(decoded[r].Reference), pair.Reference.RelativePath),
                HtmlDocument.Figure(Thumbnails.Of(decoded[r].Distorted), pair.Distorted.RelativePath),
            };
            if (maps is not null)
            {
                double top = maps[r].Length == 0 ? 0 : maps[r].Max();
                var heat = Thumbnails.HeatMap(maps[r], decoded[r].Reference.Width, decoded[r].Reference.Height, top, Colour);
                cells.Add(HtmlDocument.Figure(Thumbnails.Of(heat), $"LPIPS map, max {HtmlDocument.Number(top, "G4")}"));
            }
            rows.Add(cells);
        }
        string[] header = maps is null ? ["rank", report.Metric, "reference", "distorted"] : ["rank", report.Metric, "reference", "distorted", "heat map"];
        doc.RawTable(header, rows);
        doc.EndSection();
    }

    private static (byte, byte, byte) Colour(double fraction)
    {
        var c = HeatColours.GetColor(fraction);
        return (c.R, c.G, c.B);
    }

    private static IReadOnlyList<string> Row(string name, string value) => [name, value];
}
