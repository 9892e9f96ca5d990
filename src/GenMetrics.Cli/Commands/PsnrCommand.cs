using System.CommandLine;
using System.Globalization;
using GenMetrics.Cli.Reports;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics psnr REF DIST</c>: PSNR per pair, their mean, and the dataset-level PSNR of the pooled MSE.</summary>
internal sealed class PsnrCommand : ICliCommand
{
    public string Name => "psnr";

    public string Summary => "PSNR per pair, mean of per-pair PSNR, and dataset-level PSNR of the pooled MSE (scikit-image)";

    public IReadOnlyList<Symbol> Symbols => PairMetricVerb.Symbols();

    public int Run(CommandLineArguments args, CliContext context)
    {
        var report = ReportRequest.Read(args);
        using var pairs = PairMetricVerb.Open(args);
        var results = PairMetricVerb.Evaluate(pairs, context, Name,
            (r, d) => (SquaredErrors: Psnr.SquaredErrorSum(r, d), Samples: (long)r.Pixels.Length));
        var accumulator = new PsnrAccumulator();
        foreach (var (_, v) in results) accumulator.Add(v.SquaredErrors, v.Samples);
        var perPair = results.Select((r, i) => (r.Pair, accumulator.Values[i])).ToList();
        double mean = accumulator.Compute();
        double dataset = accumulator.ComputeDatasetLevel();
        new PairMetricReport(Name, args.Positionals[0], args.Positionals[1], perPair, mean,
            [
                ("mean_psnr", $"mean of per-pair PSNR over {results.Count} pair(s) (dB)", mean),
                ("dataset_psnr", "dataset-level PSNR of the pooled MSE (dB)", dataset),
            ],
            w =>
            {
                w.WriteString("unit", "dB");
                JsonOutput.WriteNumber(w, "data_range", Psnr.DataRange);
                w.WriteString("reference", "scikit-image 0.19 peak_signal_noise_ratio");
            },
            Format).Write(context, report);
        return 0;
    }

    private static string Format(double v) =>
        double.IsPositiveInfinity(v) ? "inf" : v.ToString("F6", CultureInfo.InvariantCulture);
}
