using ScottPlot;

namespace GenMetrics.Cli.Reports;

/// <summary>Histogram charts of a report, drawn with ScottPlot and encoded as PNG.</summary>
internal static class HistogramChart
{
    public const int Width = 560;
    public const int Height = 300;

    /// <summary>
    /// A histogram of the finite values (between 5 and 40 bins, about √n), optionally with a dashed vertical marker
    /// (e.g. the mean, or ratio 1 for the manifold) labelled in the legend.
    /// </summary>
    public static EmbeddedPng Draw(IReadOnlyList<double> values, string xLabel, string title, (double X, string Label)? marker = null)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        var plot = new Plot();
        try
        {
            plot.Font.Set("DejaVu Sans"); // Debian's fonts-dejavu-core; ScottPlot falls back to its default font without it
            plot.Title(title);
            plot.XLabel(xLabel);
            plot.YLabel("count");
            if (finite.Length > 0)
            {
                double min = finite.Min(), max = finite.Max();
                if (max <= min)
                {
                    double spread = Math.Max(Math.Abs(min) * 0.01, 1e-6);
                    min -= spread;
                    max += spread;
                }
                int bins = Math.Clamp((int)Math.Ceiling(Math.Sqrt(finite.Length)), 5, 40);
                var histogram = ScottPlot.Statistics.Histogram.WithBinCount(bins, min, max);
                histogram.IncludeOutliers = true; // the maximum lies on the last edge: count it in the last bin
                histogram.AddRange(finite);
                var bars = plot.Add.Histogram(histogram);
                bars.BarWidthFraction = 0.9;
                plot.Axes.Margins(bottom: 0);
                double pad = 0.03 * (max - min);
                plot.Axes.SetLimitsX(min - pad, max + pad);
            }
            if (marker is { } m && double.IsFinite(m.X))
            {
                var line = plot.Add.VerticalLine(m.X);
                line.LinePattern = LinePattern.Dashed;
                line.Color = Colors.DarkRed;
                line.LegendText = m.Label;
                plot.ShowLegend(Alignment.UpperRight);
            }
            byte[] png = plot.GetImageBytes(Width, Height, ImageFormat.Png);
            return new EmbeddedPng(png, Width, Height);
        }
        finally
        {
            plot.Dispose();
        }
    }
}
