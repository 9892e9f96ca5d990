using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary>The shared body of fid/is/kid/prdc/eval: load inputs once, evaluate, print.</summary>
internal static class DistributionCommand
{
    public static int Run(CommandLineArguments args, CliContext context, DistributionMetrics metrics, string usage, bool singleInput = false)
    {
        args.RequirePositionals(singleInput ? 1 : 2, singleInput ? 1 : 2, usage);
        var options = DistributionOptions.Read(args);
        MetricInput? real = singleInput ? null : MetricInput.Load(args.Positionals[0]);
        var fake = MetricInput.Load(args.Positionals[singleInput ? 0 : 1]);
        var result = DistributionEvaluation.Evaluate(real, fake, metrics, options);
        EvaluationOutput.Write(result, args, context);
        return 0;
    }
}
