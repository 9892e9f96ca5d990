using GenMetrics.Cli.Reports;
using GenMetrics.Imaging;
using SkiaSharp;

namespace GenMetrics.Tests.Cli;

/// <summary>The report's parts on their own: order statistics, thumbnail sizes and pixels, heat-map scaling, HTML encoding.</summary>
public sealed class ReportPartsTests
{
    [Fact]
    public void PercentilesInterpolateLikeNumpy()
    {
        // numpy.percentile([10, 1, 4, 2, 3], q) with the default linear method: 1.2, 2, 3, 4, 8.8.
        var s = new ValueSummary([10, 1, 4, 2, 3]);
        Assert.Equal(1.2, s.Percentile(5), 12);
        Assert.Equal(2, s.Percentile(25));
        Assert.Equal(3, s.Median);
        Assert.Equal(4, s.Percentile(75));
        Assert.Equal(8.8, s.Percentile(95), 12);
        Assert.Equal(1, s.Min);
        Assert.Equal(10, s.Max);
        Assert.Equal(4, s.Mean);
        Assert.Equal(Math.Sqrt(10), s.StandardDeviation, 12);
        // PSNR of identical pairs: +inf sorts last and does not turn finite order statistics into NaN.
        var withInfinity = new ValueSummary([30, double.PositiveInfinity, 20]);
        Assert.Equal(30, withInfinity.Median);
        Assert.Equal(double.PositiveInfinity, withInfinity.Max);
        Assert.Equal(double.PositiveInfinity, withInfinity.Percentile(100));
    }

    public static TheoryData<int, int, int, int> Sizes => new()
    {
        { 512, 512, 128, 128 },
        { 1000, 40, 128, 5 },
        { 97, 131, 95, 128 },
        { 64, 64, 64, 64 },
        { 1, 1, 1, 1 },
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void ThumbnailsFitIn128PixelsAndKeepColours(int width, int height, int expectedWidth, int expectedHeight)
    {
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++)
        {
            pixels[3 * i] = 200;
            pixels[3 * i + 1] = 30;
            pixels[3 * i + 2] = 90;
        }
        EmbeddedPng png = Thumbnails.Of(new RgbImage(width, height, pixels));
        Assert.Equal((expectedWidth, expectedHeight), (png.Width, png.Height));
        using var decoded = SKBitmap.Decode(png.Bytes);
        Assert.Equal((expectedWidth, expectedHeight), (decoded.Width, decoded.Height));
        SKColor c = decoded.GetPixel(expectedWidth / 2, expectedHeight / 2);
        Assert.Equal((200, 30, 90), (c.Red, c.Green, c.Blue));
        Assert.StartsWith("data:image/png;base64,iVBORw0KGgo", png.DataUri, StringComparison.Ordinal); // the PNG signature
    }

    [Fact]
    public void HeatMapScalesFromZeroToItsMaximum()
    {
        float[] map = [0f, 0.5f, 1f, 2f];
        var seen = new List<double>();
        var image = Thumbnails.HeatMap(map, 2, 2, 1.0, f =>
        {
            seen.Add(f);
            return ((byte)(f * 255), 0, 0);
        });
        Assert.Equal([0.0, 0.5, 1.0, 1.0], seen); // clamped above the scale
        Assert.Equal(new byte[] { 0, 0, 0, 127, 0, 0, 255, 0, 0, 255, 0, 0 }, image.Pixels);
    }

    [Fact]
    public void TextIsEncoded()
    {
        var doc = new HtmlDocument("a <b> & \"c\"");
        doc.Heading("<script>alert(1)</script>", "x & y");
        doc.Table(["h<1>"], [["<img src=x>"]]);
        string html = doc.ToHtml();
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img src=x>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<title>a &lt;b&gt; &amp; &quot;c&quot;</title>", html, StringComparison.Ordinal);
    }
}
