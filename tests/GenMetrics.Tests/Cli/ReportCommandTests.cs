using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using GenMetrics.Cli.Reports;
using GenMetrics.Metrics;
using GenMetrics.Tests.Imaging;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// <c>--report FILE.html</c> on lpips, ssim, ms-ssim, psnr and eval, run in-process on the fixtures: the page is
/// well-formed, has its sections, every embedded image decodes, thumbnails are at most 128 px, and what it shows
/// is what the same run printed as JSON.
/// </summary>
public sealed class ReportCommandTests
{
    private static double Cell(XElement row, int column) =>
        double.Parse(row.Elements("td").ElementAt(column).Value, NumberStyles.Float, CultureInfo.InvariantCulture);

    private static void NoTemporaryFiles(string folder) =>
        Assert.DoesNotContain(Directory.GetFiles(folder), f => f.Contains(".tmp-", StringComparison.Ordinal) || f.Contains(".probe-", StringComparison.Ordinal));

    [Fact]
    public void LpipsReportShowsTheWorstPairsWithHeatMaps()
    {
        string[] ids = [.. LpipsFixture.MeasurablePairs(LpipsNetwork.Alex).Take(6)];
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders(ids);
        string report = dir.File("out", "lpips.html");
        var r = CliRunner.Run("lpips", refDir, distDir, "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex),
            "--report", report, "--report-count", "4", "--json", "--quiet", "--threads", "2");
        Assert.True(r.ExitCode == 0, r.Error);
        using var json = JsonDocument.Parse(r.Out);
        var perPair = json.RootElement.GetProperty("per_pair").EnumerateArray()
            .Select(p => (Name: p.GetProperty("ref").GetString()!, Value: p.GetProperty("value").GetDouble())).ToList();

        var html = ReportHtml.Load(report);
        Assert.Equal(PairReportBuilder.SectionIds, html.SectionIds);
        var rows = ReportHtml.Rows(html.Section("worst-pairs"));
        Assert.Equal(4, rows.Count);
        var expected = perPair.OrderByDescending(p => p.Value).Take(4).ToList();
        for (int i = 0; i < rows.Count; i++)
        {
            // The report shows the run's own values (F8, as the table prints them), worst first.
            Assert.Equal(expected[i].Value.ToString("F8", CultureInfo.InvariantCulture), rows[i].Elements("td").ElementAt(1).Value);
            string id = Path.GetFileNameWithoutExtension(expected[i].Name);
            // Tier "float32 network": 1e-5 abs against the PerceptualSimilarity golden (plus 5e-9 for the 8-decimal rounding).
            Tolerance.Close(LpipsFixture.Expected(LpipsNetwork.Alex, id)!.Value, Cell(rows[i], 1), 1e-5 + 5e-9, 0, $"report lpips {id}");
            var figures = rows[i].Descendants("figure").ToList();
            Assert.Equal(3, figures.Count); // reference | distorted | heat map
            Assert.Equal(expected[i].Name, figures[0].Element("figcaption")!.Value);
            Assert.StartsWith("LPIPS map, max ", figures[2].Element("figcaption")!.Value, StringComparison.Ordinal);
        }
        Assert.Equal(4 * 3, html.Thumbnails().Count);
        var chart = Assert.Single(html.Section("histogram").Descendants("img"));
        Assert.Equal(HistogramChart.Width, (int)chart.Attribute("width")!);
        var summary = ReportHtml.Rows(html.Section("summary"));
        Assert.Equal(json.RootElement.GetProperty("value").GetDouble().ToString("F8", CultureInfo.InvariantCulture),
            summary.Single(row => row.Elements("td").First().Value.StartsWith("mean LPIPS", StringComparison.Ordinal)).Elements("td").ElementAt(1).Value);
        var settings = ReportHtml.Rows(html.Section("settings")).ToDictionary(row => row.Elements("td").First().Value, row => row.Elements("td").ElementAt(1).Value);
        Assert.Equal("alex", settings["net"]);
        NoTemporaryFiles(dir.File("out"));
    }

    public static TheoryData<string> PixelVerbs => new() { "ssim", "ms-ssim", "psnr" };

    [Theory]
    [MemberData(nameof(PixelVerbs))]
    public void PixelMetricReportsListTheLowestValuesFirst(string verb)
    {
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders("07", "08", "09");
        string report = dir.File("r.html");
        var r = CliRunner.Run(verb, refDir, distDir, "--report", report, "--json", "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        using var json = JsonDocument.Parse(r.Out);
        var values = json.RootElement.GetProperty("per_pair").EnumerateArray()
            .Select(p => p.GetProperty("value").ValueKind == JsonValueKind.String ? double.PositiveInfinity : p.GetProperty("value").GetDouble()).ToList();
        var html = ReportHtml.Load(report);
        Assert.Equal(PairReportBuilder.SectionIds, html.SectionIds);
        var rows = ReportHtml.Rows(html.Section("worst-pairs"));
        Assert.Equal(3, rows.Count);
        var shown = rows.Select(row => row.Elements("td").ElementAt(1).Value).ToList();
        Assert.Equal(values.Order().Select(v => double.IsPositiveInfinity(v) ? "inf" : v.ToString(verb == "psnr" ? "F6" : "F8", CultureInfo.InvariantCulture)), shown);
        Assert.All(rows, row => Assert.Equal(2, row.Descendants("figure").Count())); // no heat map without LPIPS
        Assert.Equal(6, html.Thumbnails().Count);
        if (verb == "psnr")
        {
            // Pair 09 is identical: infinite PSNR, left out of the histogram and said so; the dataset PSNR is in the summary.
            Assert.Contains(html.Section("histogram").Descendants("p"), p => p.Value.Contains("1 identical pair", StringComparison.Ordinal));
            Assert.Contains(ReportHtml.Rows(html.Section("summary")), row => row.Value.Contains("dataset-level PSNR", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void EvalReportOnFixtureImagesShowsNeighbours()
    {
        using var dir = new ScratchFolder();
        foreach (var (set, prefix) in new[] { ("set_a", "a"), ("set_b", "b") })
        {
            for (int i = 0; i < 8; i++) File.Copy(Fixtures.Path("images", set, $"{prefix}_{i:000}.png"), dir.File(set, $"{prefix}_{i:000}.png"));
        }
        string report = dir.File("eval.html");
        var r = CliRunner.Run("eval", dir.File("set_a"), dir.File("set_b"), "--metrics", "fid,prdc", "--weights", Fixtures.Path("weights", "fid_inception.pth"),
            "--report", report, "--report-count", "5", "--json", "--quiet", "--no-cache");
        Assert.True(r.ExitCode == 0, r.Error);
        using var json = JsonDocument.Parse(r.Out);
        var html = ReportHtml.Load(report);
        Assert.Equal(DistributionReportBuilder.SectionIds, html.SectionIds);
        var jsonTable = html.Section("json").Descendants("table").Single();
        var values = jsonTable.Descendants("tr").Where(tr => !tr.Elements("th").Any())
            .ToDictionary(row => row.Elements("td").First().Value, row => row.Elements("td").ElementAt(1).Value);
        Assert.Equal(json.RootElement.GetProperty("fid").GetDouble().ToString("R", CultureInfo.InvariantCulture), values["fid"]);
        Assert.Equal(json.RootElement.GetProperty("precision").GetDouble().ToString("R", CultureInfo.InvariantCulture), values["precision"]);

        // Inside + outside = 8 fake samples, and inside / 8 is the printed precision (same pass).
        var counts = ReportHtml.Rows(html.Section("manifold"))[0].Elements("td").Select(td => int.Parse(td.Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(8, counts[0]);
        Assert.Equal(8, counts[1] + counts[2]);
        Assert.Equal(json.RootElement.GetProperty("precision").GetDouble(), (float)counts[1] / 8f);
        Assert.Equal(2, html.Section("manifold").Descendants("img").Count());

        foreach (string id in new[] { "outside-manifold", "closest-to-real" })
        {
            var rows = ReportHtml.Rows(html.Section(id));
            Assert.Equal(5, rows.Count);
            Assert.All(rows, row => Assert.Equal(1 + DistributionReportBuilder.NeighboursShown, row.Descendants("figure").Count()));
            Assert.All(rows, row => Assert.StartsWith("b_", row.Descendants("figcaption").First().Value, StringComparison.Ordinal));
            Assert.All(rows, row => Assert.All(row.Descendants("figcaption").Skip(1), c => Assert.StartsWith("a_", c.Value, StringComparison.Ordinal)));
        }
        // Ordered as the sections say: ratio descending; nearest distance ascending.
        var ratios = ReportHtml.Rows(html.Section("outside-manifold")).Select(row => Cell(row, 2)).ToList();
        Assert.Equal(ratios.OrderDescending(), ratios);
        var nearest = ReportHtml.Rows(html.Section("closest-to-real"))
            .Select(row => double.Parse(row.Descendants("figcaption").ElementAt(1).Value.Split("d = ")[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(nearest.Order(), nearest);
        Assert.Equal(2 * 5 * 4, html.Thumbnails().Count);
        NoTemporaryFiles(dir.Root);
    }

    [Fact]
    public void EvalReportOnFeatureFilesSaysSoAndListsRows()
    {
        using var dir = new TempDirectory();
        string report = dir.Path("eval.html");
        var r = CliRunner.Run("eval", Fixtures.Path("golden", "fid_tf", "features_set_a_2048.npy"), Fixtures.Path("golden", "fid_tf", "features_set_b_2048.npy"),
            "--metrics", "prdc", "--report", report, "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        var html = ReportHtml.Load(report);
        Assert.Equal(DistributionReportBuilder.SectionIds, html.SectionIds);
        var outside = html.Section("outside-manifold");
        Assert.Contains(outside.Descendants("p"), p => p.Value.Contains("Both inputs are feature files", StringComparison.Ordinal));
        Assert.Empty(outside.Descendants("figure"));
        var rows = ReportHtml.Rows(outside);
        Assert.Equal(ReportRequest.DefaultCount, rows.Count);
        Assert.All(rows, row => Assert.StartsWith("row ", row.Elements("td").ElementAt(1).Value, StringComparison.Ordinal));
        // Golden precision of these features (torch-fidelity k = 3): inside / 64.
        var counts = ReportHtml.Rows(html.Section("manifold"))[0].Elements("td").Select(td => int.Parse(td.Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(GoldenJson.Number(["golden", "prdc", "prdc.json"], "cases", "a_torch_fidelity_pool3", "torch_fidelity_k3", "precision"), (float)counts[1] / (float)counts[0]);
        html.DecodeAllImages();
    }

    [Fact]
    public void EvalReportWithoutManifoldMetricsSaysWhy()
    {
        using var dir = new TempDirectory();
        string report = dir.Path("eval.html");
        var r = CliRunner.Run("eval", Fixtures.Path("golden", "fid_tf", "features_set_a_2048.npy"), Fixtures.Path("golden", "fid_tf", "features_set_b_2048.npy"),
            "--metrics", "fid", "--report", report, "--quiet");
        Assert.True(r.ExitCode == 0, r.Error);
        var html = ReportHtml.Load(report);
        Assert.Equal(DistributionReportBuilder.SectionIds, html.SectionIds);
        Assert.Contains(html.Section("manifold").Descendants("p"), p => p.Value.Contains("were not computed", StringComparison.Ordinal));
        Assert.Empty(html.DecodeAllImages());
    }

    [Fact]
    public void BadReportOptionsEndInOneLine()
    {
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders("01");
        CliAssert.OneLineError(CliRunner.Run("ssim", refDir, distDir, "--report-count", "3"), "--report-count needs --report");
        CliAssert.OneLineError(CliRunner.Run("psnr", refDir, distDir, "--report", Path.Combine(dir.Root, "missing", "r.html")), "does not exist");
        CliAssert.OneLineError(CliRunner.Run("psnr", refDir, distDir, "--report", dir.File("r.html"), "--report-count", "0"), "--report-count");
        CliAssert.OneLineError(CliRunner.Run("psnr", refDir, distDir, "--report", dir.File("r.html"), "--report-count", "100000"), "--report-count");
        CliAssert.OneLineError(CliRunner.Run("ms-ssim", refDir, distDir, "--report", refDir), refDir);
        if (!OperatingSystem.IsWindows())
        {
            CliAssert.OneLineError(CliRunner.Run("lpips", refDir, distDir, "--report", "/dev/null"), "not a regular file");
            CliAssert.OneLineError(CliRunner.Run("eval", refDir, distDir, "--report", "/proc/r.html"), "cannot write in /proc");
        }
        Assert.False(File.Exists(dir.File("r.html")));
    }
}
