using System.Xml;
using System.Xml.Linq;
using SkiaSharp;

namespace GenMetrics.Tests.Cli;

/// <summary>A written HTML report, parsed as XML (the writer self-closes void elements): its sections and embedded images.</summary>
internal sealed class ReportHtml
{
    private ReportHtml(string path, XDocument document)
    {
        Path = path;
        Document = document;
    }

    public string Path { get; }

    public XDocument Document { get; }

    /// <summary>Parses the file; fails the test when it is not well-formed.</summary>
    public static ReportHtml Load(string path)
    {
        Assert.True(File.Exists(path), $"report not written: {path}");
        using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return new ReportHtml(path, XDocument.Load(reader));
    }

    public IReadOnlyList<string> SectionIds => [.. Document.Descendants("section").Select(s => (string)s.Attribute("id")!)];

    public XElement Section(string id) => Document.Descendants("section").Single(s => (string?)s.Attribute("id") == id);

    /// <summary>Table rows of a section below its header row.</summary>
    public static IReadOnlyList<XElement> Rows(XElement section) => [.. section.Descendants("tr").Where(tr => !tr.Elements("th").Any())];

    /// <summary>
    /// Every &lt;img&gt;: a PNG data URI that decodes to its declared width and height; the external-resource rule
    /// (no http, no file reference) holds for every src and href in the page.
    /// </summary>
    public IReadOnlyList<(XElement Element, int Width, int Height)> DecodeAllImages()
    {
        foreach (var a in Document.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href"))
        {
            Assert.StartsWith("data:image/png;base64,", a.Value, StringComparison.Ordinal);
        }
        var result = new List<(XElement, int, int)>();
        foreach (var img in Document.Descendants("img"))
        {
            string src = (string)img.Attribute("src")!;
            byte[] png = Convert.FromBase64String(src["data:image/png;base64,".Length..]);
            using var bitmap = SKBitmap.Decode(png);
            Assert.True(bitmap is not null, $"{Path}: an embedded image does not decode ({(string?)img.Attribute("alt")})");
            Assert.Equal((int)img.Attribute("width")!, bitmap.Width);
            Assert.Equal((int)img.Attribute("height")!, bitmap.Height);
            result.Add((img, bitmap.Width, bitmap.Height));
        }
        return result;
    }

    /// <summary>The thumbnails (images inside figures): at most 128 px per side.</summary>
    public IReadOnlyList<(XElement Element, int Width, int Height)> Thumbnails()
    {
        var all = DecodeAllImages().Where(i => i.Element.Parent?.Name == "figure").ToList();
        foreach (var (e, w, h) in all) Assert.True(w <= 128 && h <= 128, $"thumbnail {(string?)e.Attribute("alt")} is {w}x{h}");
        return all;
    }
}
