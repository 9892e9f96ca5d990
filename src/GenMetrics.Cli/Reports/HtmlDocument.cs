using System.Globalization;
using System.Net;
using System.Text;
using GenMetrics.Checkpoints;

namespace GenMetrics.Cli.Reports;

/// <summary>
/// A self-contained HTML page built section by section: inline style, images as <c>data:</c> URIs, no script and no
/// external resource, so it opens from disk without a network. Every text is HTML-encoded and void elements are
/// self-closed, so the page is also well-formed XML (the tests parse it so).
/// </summary>
internal sealed class HtmlDocument
{
    private const string Style = """
        body{font-family:"DejaVu Sans",Arial,sans-serif;margin:24px;color:#1d2330;background:#fff;max-width:1200px}
        h1{font-size:22px;margin:0 0 4px} h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}
        p.note{color:#4a5263;font-size:13px;margin:4px 0 10px}
        table{border-collapse:collapse;font-size:13px;margin:6px 0}
        th,td{border:1px solid #d5d9e0;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f0f2f6} td.num{text-align:right;font-family:"DejaVu Sans Mono",monospace}
        figure{display:inline-block;margin:2px 6px 2px 0;text-align:center;font-size:11px;color:#4a5263}
        figure img{display:block;border:1px solid #c8ccd4;image-rendering:auto}
        figcaption{max-width:140px;overflow-wrap:anywhere}
        img.chart{border:1px solid #d5d9e0;margin:4px 12px 4px 0}
        div.row{display:flex;flex-wrap:wrap;gap:16px;align-items:flex-start}
        """;

    private readonly StringBuilder _body = new();
    private readonly string _title;

    public HtmlDocument(string title) => _title = title;

    /// <summary>HTML-encodes <paramref name="text"/>.</summary>
    public static string Encode(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A number with invariant formatting ("inf" for +∞).</summary>
    public static string Number(double value, string format = "G6") =>
        double.IsPositiveInfinity(value) ? "inf" : double.IsNaN(value) ? "nan" : value.ToString(format, CultureInfo.InvariantCulture);

    public void Heading(string text, string subtitle)
    {
        _body.Append("<h1 id=\"title\">").Append(Encode(text)).Append("</h1>\n");
        Note(subtitle);
    }

    /// <summary>Opens a <c>&lt;section id=...&gt;</c> with its heading; <see cref="EndSection"/> closes it.</summary>
    public void BeginSection(string id, string heading) =>
        _body.Append("<section id=\"").Append(Encode(id)).Append("\">\n<h2>").Append(Encode(heading)).Append("</h2>\n");

    public void EndSection() => _body.Append("</section>\n");

    /// <summary>Starts a block whose children sit side by side (wrapping); <see cref="EndRow"/> closes it.</summary>
    public void BeginRow() => _body.Append("<div class=\"row\">\n");

    public void EndRow() => _body.Append("</div>\n");

    public void Note(string text) => _body.Append("<p class=\"note\">").Append(Encode(text)).Append("</p>\n");

    /// <summary>A table; cells are text, encoded here. A cell that parses as a number is right-aligned.</summary>
    public void Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table>\n<tr>");
        foreach (string h in header) _body.Append("<th>").Append(Encode(h)).Append("</th>");
        _body.Append("</tr>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (string cell in row)
            {
                bool numeric = double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || cell is "inf";
                _body.Append(numeric ? "<td class=\"num\">" : "<td>").Append(Encode(cell)).Append("</td>");
            }
            _body.Append("</tr>\n");
        }
        _body.Append("</table>\n");
    }

    /// <summary>A table whose cells are already HTML (from <see cref="Figure"/>, <see cref="Encode"/>).</summary>
    public void RawTable(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> htmlRows)
    {
        _body.Append("<table>\n<tr>");
        foreach (string h in header) _body.Append("<th>").Append(Encode(h)).Append("</th>");
        _body.Append("</tr>\n");
        foreach (var row in htmlRows)
        {
            _body.Append("<tr>");
            foreach (string cell in row) _body.Append("<td>").Append(cell).Append("</td>");
            _body.Append("</tr>\n");
        }
        _body.Append("</table>\n");
    }

    /// <summary>A chart image (PNG bytes) at its own size.</summary>
    public void Chart(EmbeddedPng png, string alt) =>
        _body.Append("<img class=\"chart\" alt=\"").Append(Encode(alt)).Append("\" width=\"").Append(png.Width)
            .Append("\" height=\"").Append(png.Height).Append("\" src=\"").Append(png.DataUri).Append("\" />\n");

    /// <summary>An image with a caption, as HTML for a <see cref="RawTable"/> cell.</summary>
    public static string Figure(EmbeddedPng png, string caption) =>
        $"<figure><img alt=\"{Encode(caption)}\" width=\"{png.Width}\" height=\"{png.Height}\" src=\"{png.DataUri}\" /><figcaption>{Encode(caption)}</figcaption></figure>";

    /// <summary>The whole page.</summary>
    public string ToHtml() =>
        $"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<title>{Encode(_title)}</title>\n<style>\n{Style}</style>\n</head>\n<body>\n{_body}</body>\n</html>\n";

    /// <summary>Writes the page to <paramref name="path"/> through a temporary file and a rename.</summary>
    public void Save(string path)
    {
        byte[] bytes = new UTF8Encoding(false).GetBytes(ToHtml());
        AtomicFileWriter.Write(path, stream => stream.Write(bytes));
    }
}
