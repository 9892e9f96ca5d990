using GenMetrics.Evaluation;
using GenMetrics.Cli.Reports;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary>The shared body of fid/is/kid/prdc/eval: load inputs once, evaluate, print.</summary>
internal static class DistributionCommand
{
    /// <summary>
    /// Runs the verb; with <paramref name="report"/> (eval's <c>--report</c>) the same evaluation also records the
    /// fake samples' nearest real samples and the HTML report is written from its result.
    /// </summary>
    public static int Run(string command, CommandLineArguments args, CliContext context, DistributionMetrics metrics, string usage, bool singleInput = false,
        ReportRequest? report = null)
    {
        args.RequirePositionals(singleInput ? 1 : 2, singleInput ? 1 : 2, usage);
        var options = DistributionOptions.Read(args);
        if (report is not null) options = options with { NearestRealNeighbours = DistributionReportBuilder.NeighboursShown };
        string? real = singleInput ? null : args.Positionals[0];
        string fake = args.Positionals[singleInput ? 0 : 1];
        var images = DistributionOptions.ReadImageSettings(args, context);
        var result = DistributionEvaluation.Evaluate(real, fake, metrics, options, images);
        if (report is not null) DistributionReportBuilder.Build(result, real, fake, options, report, images).Save(report.Path);
        EvaluationOutput.Write(command, result, new EvaluationOutput.Run(real, fake, options, images), context);
        return 0;
    }
}
