using System.CommandLine;
using System.Globalization;
using GenMetrics.Cli.Reports;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics ssim REF DIST [--window gaussian|uniform]</c>: scikit-image SSIM per pair and its mean.</summary>
internal sealed class SsimCommand : ICliCommand
{
    public string Name => "ssim";

    public string Summary => "SSIM per pair and mean (scikit-image; Wang et al. Gaussian window or skimage default)";

    private static readonly Option<string> Window = OptionCatalog.Choices(new Option<string>("--window")
    {
        HelpName = "gaussian|uniform",
        Description = "gaussian: 11 taps, sigma 1.5, population covariance (Wang et al.); uniform: 7x7, sample covariance (scikit-image's own default)",
        DefaultValueFactory = _ => "gaussian",
    }, ["gaussian", "uniform"]);

    public IReadOnlyList<Symbol> Symbols => [.. PairMetricVerb.Symbols(), Window];

    public int Run(CommandLineArguments args, CliContext context)
    {
        var window = OptionCatalog.Choice(args.Get(Window), ["gaussian", "uniform"]) == "uniform" ? SsimWindow.Uniform : SsimWindow.Gaussian;
        var report = ReportRequest.Read(args);
        using var pairs = PairMetricVerb.Open(args);
        var results = PairMetricVerb.Evaluate(pairs, context, Name, (r, d) => Ssim.Compute(r, d, window));
        var accumulator = new SsimAccumulator(window);
        foreach (var (_, v) in results) accumulator.Add(v);
        double mean = accumulator.Compute();
        new PairMetricReport(Name, args.Positionals[0], args.Positionals[1], results, mean,
            [("mean", $"mean SSIM over {results.Count} pair(s)", mean)],
            w =>
            {
                w.WriteString("window", window == SsimWindow.Gaussian ? "gaussian" : "uniform");
                w.WriteNumber("win_size", Ssim.WindowSize(window));
                if (window == SsimWindow.Gaussian) JsonOutput.WriteNumber(w, "sigma", Ssim.GaussianSigma);
                w.WriteString("covariance", window == SsimWindow.Gaussian ? "population" : "sample");
                JsonOutput.WriteNumber(w, "k1", Ssim.K1);
                JsonOutput.WriteNumber(w, "k2", Ssim.K2);
                JsonOutput.WriteNumber(w, "data_range", Ssim.DataRange);
                w.WriteString("reference", "scikit-image 0.19 structural_similarity, RGB = mean of channels");
            },
            v => v.ToString("F8", CultureInfo.InvariantCulture)).Write(context, report);
        return 0;
    }
}
