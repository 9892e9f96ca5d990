using GenMetrics.Evaluation;
using GenMetrics.Cli.Reports;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics eval REAL FAKE --metrics fid,is,kid,prdc</c>: several metrics from one load of each input.</summary>
internal sealed class EvalCommand : ICliCommand
{
    private const string Usage = "genmetrics eval REAL FAKE [--metrics fid,is,kid,prdc] [--report FILE.html] [--report-count K] [options]";

    public string Name => "eval";

    public string Summary => "several distribution metrics from one feature pass (IS on FAKE)";

    public string Help => $"usage: {Usage}\n  --metrics LIST     comma-separated: fid, sfid, is, kid, pr, dc, prdc (default: fid,kid,prdc, + is when FAKE is images or --logits is given; only fid (+is) with a stats .npz; with --protocol adm or ADM batches: fid (+ sfid), is, pr, ADM's suite)\n" +
        $"{ReportRequest.HelpText}\n                      (fake samples farthest outside the real manifold and closest to a real sample, with\n" +
        $"                      their nearest real samples: needs pr, dc or prdc)\n\n{DistributionOptions.HelpText}";

    public CommandOptions Options { get; } = new CommandOptions([.. DistributionOptions.ValueOptions, .. ReportRequest.ValueOptions, "--output"], DistributionOptions.FlagOptions).WithAlias("-o", "--output");

    public int Run(CommandLineArguments args, CliContext context)
    {
        string? list = args.GetString("--metrics");
        var metrics = list is null ? DefaultMetrics(args.Positionals, args.GetString("--logits") is not null, args.GetString("--protocol")) : ParseMetrics(list);
        return DistributionCommand.Run(Name, args, context, metrics, Usage, report: ReportRequest.Read(args));
    }

    /// <summary>
    /// Without --metrics: FID, KID, PR/DC, plus IS when FAKE is images (or --logits is given); only FID (+ IS)
    /// when an input is a statistics file, which holds no per-sample features.
    /// </summary>
    internal static DistributionMetrics DefaultMetrics(IReadOnlyList<string> inputs, bool logitsGiven, string? protocol = null)
    {
        static bool IsStats(string p) => p.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) && !DistributionEvaluation.IsImageInput(p);
        static bool IsAdmBatch(string p) => p.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) && DistributionEvaluation.IsImageInput(p);
        bool inceptionScore = logitsGiven || (inputs.Count == 2 && DistributionEvaluation.IsImageInput(inputs[1]));
        bool adm = protocol == GenMetrics.Features.KnownProtocols.Adm.Name || (protocol is null && inputs.Any(IsAdmBatch));
        var full = adm ? DistributionMetrics.Fid | DistributionMetrics.PrecisionRecall : DistributionMetrics.Fid | DistributionMetrics.Kid | DistributionMetrics.Prdc;
        var metrics = inputs.Any(IsStats) ? DistributionMetrics.Fid : full;
        return inceptionScore ? metrics | DistributionMetrics.InceptionScore : metrics;
    }

    internal static DistributionMetrics ParseMetrics(string list)
    {
        var metrics = DistributionMetrics.None;
        foreach (string raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            metrics |= raw.ToLowerInvariant() switch
            {
                "fid" => DistributionMetrics.Fid,
                "sfid" => DistributionMetrics.SpatialFid,
                "is" or "isc" => DistributionMetrics.InceptionScore,
                "kid" => DistributionMetrics.Kid,
                "pr" or "prc" => DistributionMetrics.PrecisionRecall,
                "dc" => DistributionMetrics.DensityCoverage,
                "prdc" => DistributionMetrics.Prdc,
                _ => throw new GenMetricsException($"unknown metric '{raw}' in --metrics; use fid, sfid, is, kid, pr, dc, prdc"),
            };
        }
        if (metrics == DistributionMetrics.None) throw new GenMetricsException("--metrics is empty; use e.g. fid,is,kid,prdc");
        return metrics;
    }
}
