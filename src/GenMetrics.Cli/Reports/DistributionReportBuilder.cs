using System.Globalization;
using GenMetrics.Evaluation;
using GenMetrics.Cli.Commands;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Reports;

/// <summary>
/// The HTML report of <c>eval</c>, built from the evaluation's result: the values and settings, and, when
/// precision/recall or density/coverage was computed, where the fake samples lie relative to the real manifold
/// (recorded in the same distance pass): the fakes farthest outside it and the fakes closest to a real sample
/// (a memorisation check), each with its nearest real samples. Only the images shown are decoded.
/// </summary>
internal static class DistributionReportBuilder
{
    /// <summary>Nearest real samples shown per fake sample.</summary>
    public const int NeighboursShown = 3;

    /// <summary>Section ids, in page order (the browser test looks for them).</summary>
    public static readonly string[] SectionIds = ["values", "settings", "manifold", "outside-manifold", "closest-to-real", "json"];

    public static HtmlDocument Build(EvaluationResult result, string? realPath, string fakePath, EvaluationOptions options, ReportRequest request,
        ImageFeatureSettings? images = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var doc = new HtmlDocument("genmetrics eval report");
        doc.Heading($"genmetrics eval: {result.RealCount} real vs {result.FakeCount} fake sample(s)",
            $"REAL {realPath ?? "(none)"} vs FAKE {fakePath}; generated {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC by genmetrics {CliApplication.Version}.");

        doc.BeginRow();
        doc.BeginSection("values", "Values");
        doc.Table(["metric", "value"], Values(result));
        doc.Note("Rounded to 6 digits; the --json output, in full, ends the page.");
        doc.EndSection();

        doc.BeginSection("settings", "Settings");
        doc.Table(["setting", "value"], Settings(options));
        doc.EndSection();
        doc.EndRow();

        Manifold(doc, result, realPath, fakePath, request.Count);

        doc.BeginSection("json", "The --json output of this evaluation");
        doc.Table(["key", "value"], SettingsRows.From(w => EvaluationOutput.WriteJson(w, result, new(realPath, fakePath, options, images ?? new ImageFeatureSettings()))));
        doc.EndSection();
        return doc;
    }

    private static List<IReadOnlyList<string>> Values(EvaluationResult r)
    {
        var rows = new List<IReadOnlyList<string>>();
        if (r.Fid is { } fid) rows.Add(["FID", Number(fid.Value)]);
        if (r.InceptionScore is { } isc) rows.Add(["Inception Score (mean ± std over splits)", $"{Number(isc.Mean)} ± {Number(isc.Std)}"]);
        if (r.Kid is { } kid) rows.Add(["KID (mean ± std over subsets)", $"{Number(kid.Mean)} ± {Number(kid.Std)}"]);
        if (r.PrecisionRecall is { } pr)
        {
            rows.Add(["precision", Number(pr.Precision)]);
            rows.Add(["recall", Number(pr.Recall)]);
        }
        if (r.DensityCoverage is { } dc)
        {
            rows.Add(["density", Number(dc.Density)]);
            rows.Add(["coverage", Number(dc.Coverage)]);
        }
        return rows;
    }

    private static List<IReadOnlyList<string>> Settings(EvaluationOptions o)
    {
        var c = CultureInfo.InvariantCulture;
        return
        [
            ["protocol", o.ProtocolOrDefault.Name],
            ["feature dimension", o.Dimensions?.ToString(c) ?? "2048 (pool3) or the inputs' own"],
            ["IS splits / shuffle", $"{o.Splits.ToString(c)} / {(o.Shuffle ? "yes" : "no")}"],
            ["KID subsets x subset size", $"{o.Subsets.ToString(c)} x {o.SubsetSize.ToString(c)}"],
            ["precision/recall k (torch-fidelity, float32 distances, <=)", o.PrecisionRecallK.ToString(c)],
            ["density/coverage k (prdc, float64 distances, <)", o.DensityCoverageK.ToString(c)],
            ["seed", o.Seed.ToString(c)],
        ];
    }

    private static void Manifold(HtmlDocument doc, EvaluationResult result, string? realPath, string fakePath, int count)
    {
        var n = result.FakeNeighbours;
        doc.BeginSection("manifold", "Fake samples and the real manifold");
        if (n is null)
        {
            doc.Note("Precision/recall and density/coverage were not computed (or an input is a statistics file), so there are no per-sample " +
                "distances to show; add pr, dc or prdc to --metrics with per-sample inputs.");
            doc.EndSection();
            EmptySection(doc, "outside-manifold", "Farthest outside the real manifold");
            EmptySection(doc, "closest-to-real", "Closest to a real sample (memorisation check)");
            return;
        }
        string convention = n.Convention == NeighbourhoodConvention.TorchFidelity ? "torch-fidelity float32 distances" : "prdc float64 distances";
        doc.Note($"Manifold ratio of a fake sample f: the smallest d(f, r) / radius(r) over all real samples r, where radius(r) is the distance " +
            $"from r to its k-th nearest other real sample (k = {n.K}, {convention}), in Inception feature space. " +
            "A ratio above 1 means f lies outside every real k-NN ball, so precision does not count it. Distances to the nearest real " +
            "samples are float64 Euclidean distances in the same feature space.");
        int fakes = n.FakeCount;
        var ratios = Enumerable.Range(0, fakes).Select(n.ManifoldRatio).ToArray();
        var nearest = Enumerable.Range(0, fakes).Select(i => n.NearestRealDistance(i)[0]).ToArray();
        int outside = Enumerable.Range(0, fakes).Count(i => !n.InsideRealManifold(i));
        doc.Table(["fake samples", "inside a real k-NN ball", "outside every ball"],
            [[fakes.ToString(CultureInfo.InvariantCulture), (fakes - outside).ToString(CultureInfo.InvariantCulture), outside.ToString(CultureInfo.InvariantCulture)]]);
        doc.BeginRow();
        doc.Chart(HistogramChart.Draw(ratios, "manifold ratio", $"manifold ratio of the fake samples (k = {n.K})", (1.0, "ball radius (ratio 1)")),
            "histogram of the manifold ratio");
        doc.Chart(HistogramChart.Draw(nearest, "distance to the nearest real sample", "nearest real sample per fake sample"),
            "histogram of the distance to the nearest real sample");
        doc.EndRow();
        doc.EndSection();

        using var fakeImages = SampleThumbnails.Open(fakePath, result.FakeCount);
        using var realImages = SampleThumbnails.Open(realPath, result.RealCount);
        string imagesNote = fakeImages.HasImages && realImages.HasImages ? ""
            : fakeImages.HasImages ? "REAL is a feature file, not images, so its samples are listed by feature row instead of shown."
            : realImages.HasImages ? "FAKE is a feature file, not images, so its samples are listed by feature row instead of shown."
            : "Both inputs are feature files, not images, so the samples are listed by feature row instead of shown.";

        int[] farthest = Order(fakes, (a, b) => ratios[b].CompareTo(ratios[a]), count);
        doc.BeginSection("outside-manifold", $"The {farthest.Length} fake sample(s) farthest outside the real manifold");
        doc.Note("Largest manifold ratio first: the samples the generator made least like any real sample.");
        if (imagesNote.Length > 0) doc.Note(imagesNote);
        NeighbourTable(doc, n, farthest, fakeImages, realImages);
        doc.EndSection();

        int[] closest = Order(fakes, (a, b) => nearest[a].CompareTo(nearest[b]), count);
        doc.BeginSection("closest-to-real", $"The {closest.Length} fake sample(s) closest to a real sample (memorisation check)");
        doc.Note("Smallest distance to any real sample first: a fake sample at distance near 0 from a real one may be a copy of it.");
        if (imagesNote.Length > 0) doc.Note(imagesNote);
        NeighbourTable(doc, n, closest, fakeImages, realImages);
        doc.EndSection();
    }

    private static void EmptySection(HtmlDocument doc, string id, string heading)
    {
        doc.BeginSection(id, heading);
        doc.Note("Not available: needs precision/recall or density/coverage on per-sample inputs.");
        doc.EndSection();
    }

    /// <summary>Indices 0..n-1 ordered by <paramref name="compare"/>, ties by index, at most <paramref name="count"/>.</summary>
    internal static int[] Order(int n, Comparison<int> compare, int count)
    {
        var order = Enumerable.Range(0, n).ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = compare(a, b);
            return c != 0 ? c : a.CompareTo(b);
        });
        return order[..Math.Min(count, n)];
    }

    private static void NeighbourTable(HtmlDocument doc, FakeManifoldNeighbours n, int[] rows, SampleThumbnails fakes, SampleThumbnails reals)
    {
        var header = new List<string> { "rank", "fake sample", "manifold ratio" };
        for (int p = 0; p < n.PerFake; p++) header.Add($"nearest real #{p + 1}");
        var table = new List<IReadOnlyList<string>>();
        for (int r = 0; r < rows.Length; r++)
        {
            int f = rows[r];
            var cells = new List<string>
            {
                (r + 1).ToString(CultureInfo.InvariantCulture),
                Sample(fakes, f, fakes.Name(f)),
                HtmlDocument.Encode(Number(n.ManifoldRatio(f))),
            };
            var index = n.NearestReal(f);
            var distance = n.NearestRealDistance(f);
            for (int p = 0; p < n.PerFake; p++) cells.Add(Sample(reals, index[p], $"{reals.Name(index[p])}, d = {Number(distance[p])}"));
            table.Add(cells);
        }
        doc.RawTable(header, table);
    }

    private static string Sample(SampleThumbnails side, int row, string caption) =>
        side.Thumbnail(row) is { } png ? HtmlDocument.Figure(png, caption) : HtmlDocument.Encode(caption);

    private static string Number(double v) => HtmlDocument.Number(v, "G6");
}
