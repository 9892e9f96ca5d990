using System.Text.RegularExpressions;
using GenMetrics.Cli.Reports;
using GenMetrics.Metrics;
using GenMetrics.Tests.Imaging;
using GenMetrics.Tests.Metrics;
using SkiaSharp;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// The lpips and eval reports rendered by a real headless browser (Debian's chromium): the screenshot is not
/// blank and the DOM holds every section. Fails, never skips, when the browser is missing.
/// </summary>
public sealed class ReportBrowserTests
{
    [Fact]
    public void LpipsReportRendersInChromium()
    {
        using var dir = new ScratchFolder();
        var (refDir, distDir) = dir.PairFolders([.. LpipsFixture.MeasurablePairs(LpipsNetwork.Alex).Take(8)]);
        string report = dir.File("lpips.html");
        var r = CliRunner.Run("lpips", refDir, distDir, "--backbone-weights", LpipsFixture.BackboneWeights(LpipsNetwork.Alex),
            "--report", report, "--quiet", "--threads", "2");
        Assert.True(r.ExitCode == 0, r.Error);
        AssertRenders(dir, report, PairReportBuilder.SectionIds, figures: 8 * 3);
    }

    [Fact]
    public void EvalReportRendersInChromium()
    {
        using var dir = new ScratchFolder();
        foreach (var (set, prefix) in new[] { ("set_a", "a"), ("set_b", "b") })
        {
            for (int i = 0; i < 8; i++) File.Copy(Fixtures.Path("images", set, $"{prefix}_{i:000}.png"), dir.File(set, $"{prefix}_{i:000}.png"));
        }
        string report = dir.File("eval.html");
        var r = CliRunner.Run("eval", dir.File("set_a"), dir.File("set_b"), "--metrics", "fid,prdc", "--weights", Fixtures.Path("weights", "fid_inception.pth"),
            "--report", report, "--report-count", "4", "--quiet", "--no-cache");
        Assert.True(r.ExitCode == 0, r.Error);
        AssertRenders(dir, report, DistributionReportBuilder.SectionIds, figures: 2 * 4 * (1 + DistributionReportBuilder.NeighboursShown));
    }

    private static void AssertRenders(ScratchFolder dir, string report, IReadOnlyList<string> sections, int figures)
    {
        string png = dir.File("screenshot.png");
        HeadlessChromium.Screenshot(report, png, dir.File("profile-screenshot"));
        using (var bitmap = SKBitmap.Decode(png))
        {
            Assert.NotNull(bitmap);
            Assert.Equal(1280, bitmap.Width);
            var colours = new HashSet<uint>();
            long nonWhite = 0;
            for (int y = 0; y < bitmap.Height; y += 2)
            {
                for (int x = 0; x < bitmap.Width; x += 2)
                {
                    SKColor c = bitmap.GetPixel(x, y);
                    colours.Add((uint)c);
                    if (c.Red < 240 || c.Green < 240 || c.Blue < 240) nonWhite++;
                }
            }
            long sampled = (long)(bitmap.Width / 2) * (bitmap.Height / 2);
            // A blank or failed page is one or two colours; text, charts and photo thumbnails give thousands.
            Assert.True(colours.Count > 1000, $"screenshot has only {colours.Count} distinct colours");
            Assert.True(nonWhite > sampled / 20, $"screenshot is {100.0 * nonWhite / sampled:F1} % non-white");
        }

        string dom = HeadlessChromium.DumpDom(report, dir.File("profile-dom"));
        var ids = Regex.Matches(dom, "<section id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(sections, ids);
        Assert.Equal(figures, Regex.Matches(dom, "<figure>").Count);
        Assert.Contains("<img class=\"chart\"", dom, StringComparison.Ordinal);
    }
}
