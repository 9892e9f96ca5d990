using GenMetrics.Checkpoints;

namespace GenMetrics.Cli.Reports;

/// <summary><c>--report FILE.html</c> and <c>--report-count K</c>: where the HTML report goes and how many examples it shows.</summary>
/// <param name="Path">The HTML file to write.</param>
/// <param name="Count">Worst pairs, or fake samples per manifold section, shown as thumbnails.</param>
internal sealed record ReportRequest(string Path, int Count)
{
    /// <summary>Examples shown by default (the k = 16).</summary>
    public const int DefaultCount = 16;

    /// <summary>Most examples a report shows (each is a few thumbnails; keeps the page and the decoding bounded).</summary>
    public const int MaxCount = 256;

    /// <summary>
    /// The request on the command line, or null; the output is checked before any work (folder exists and accepts
    /// a new file, an existing target is a regular file).
    /// </summary>
    public static ReportRequest? Read(CommandLineArguments args)
    {
        string? path = args.Get(OptionCatalog.Report);
        if (path is null)
        {
            if (args.IsGiven(OptionCatalog.ReportCount)) throw new GenMetricsException("--report-count needs --report FILE.html");
            return null;
        }
        FileKindPolicy.RequireWritableOutput(path);
        return new ReportRequest(path, args.Get(OptionCatalog.ReportCount));
    }
}
