using GenMetrics.Cli.Reports;
using GenMetrics.Evaluation;
using System.CommandLine;

namespace GenMetrics.Cli.Commands;

/// <summary>The shared body of fid/is/kid/prdc/eval: load inputs once, evaluate, print.</summary>
internal static class DistributionCommand
{
    /// <summary>
    /// Runs the verb on REAL and FAKE (or FAKE alone for <c>is</c>); with <paramref name="report"/> (eval's
    /// <c>--report</c>) the same evaluation also records the fake samples' nearest real samples and the HTML report is
    /// written from its result.
    /// </summary>
    public static int Run(CommandLineArguments args, CliContext context, DistributionMetrics metrics, Option<string> protocol,
        ReportRequest? report = null, Func<ResultAddition>? afterEvaluation = null)
    {
        var options = DistributionOptions.Read(args, protocol);
        if (report is not null) options = options with { NearestRealNeighbours = DistributionReportBuilder.NeighboursShown };
        bool singleInput = args.Positionals.Count == 1;
        string? real = singleInput ? null : args.Positionals[0];
        string fake = args.Positionals[^1];
        var images = DistributionOptions.ReadImageSettings(args, context);
        var result = DistributionEvaluation.Evaluate(real, fake, metrics, options, images);
        if (report is not null) DistributionReportBuilder.Build(result, real, fake, options, report, images).Save(report.Path);
        EvaluationOutput.Write(args.CommandName, result, new EvaluationOutput.Run(real, fake, options, images), context, afterEvaluation?.Invoke());
        return 0;
    }
}
