using System.CommandLine;
using System.Globalization;
using GenMetrics.Cli.Reports;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics ms-ssim REF DIST</c>: pytorch-msssim MS-SSIM per pair and its mean.</summary>
internal sealed class MsSsimCommand : ICliCommand
{
    public string Name => "ms-ssim";

    public string Summary => "MS-SSIM per pair and mean (pytorch-msssim, 5 levels; images must be > 160 px per side)";

    public IReadOnlyList<Symbol> Symbols => PairMetricVerb.Symbols();

    public int Run(CommandLineArguments args, CliContext context)
    {
        var report = ReportRequest.Read(args);
        using var pairs = PairMetricVerb.Open(args);
        var results = PairMetricVerb.Evaluate(pairs, context, Name, MsSsim.Compute);
        var accumulator = new MsSsimAccumulator();
        foreach (var (_, v) in results) accumulator.Add(v);
        double mean = accumulator.Compute();
        new PairMetricReport(Name, args.Positionals[0], args.Positionals[1], results, mean,
            [("mean", $"mean MS-SSIM over {results.Count} pair(s)", mean)],
            w =>
            {
                w.WriteStartArray("weights");
                foreach (double x in MsSsim.Weights) JsonOutput.WriteNumberValue(w, x);
                w.WriteEndArray();
                w.WriteNumber("win_size", MsSsim.WindowSize);
                JsonOutput.WriteNumber(w, "sigma", Ssim.GaussianSigma);
                JsonOutput.WriteNumber(w, "k1", Ssim.K1);
                JsonOutput.WriteNumber(w, "k2", Ssim.K2);
                JsonOutput.WriteNumber(w, "data_range", Ssim.DataRange);
                w.WriteString("reference", "pytorch-msssim ms_ssim, float64");
            },
            v => v.ToString("F8", CultureInfo.InvariantCulture)).Write(context, report);
        return 0;
    }
}
