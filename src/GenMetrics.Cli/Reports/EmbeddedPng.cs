namespace GenMetrics.Cli.Reports;

/// <summary>An encoded PNG and its pixel size, embedded in a report as a <c>data:</c> URI.</summary>
internal sealed record EmbeddedPng(byte[] Bytes, int Width, int Height)
{
    public string DataUri => "data:image/png;base64," + Convert.ToBase64String(Bytes);
}
