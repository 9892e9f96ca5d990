using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary>The shared body of fid/is/kid/prdc/eval: load inputs once, evaluate, print.</summary>
internal static class DistributionCommand
{
    public static int Run(CommandLineArguments args, CliContext context, DistributionMetrics metrics, string usage, bool singleInput = false)
    {
        args.RequirePositionals(singleInput ? 1 : 2, singleInput ? 1 : 2, usage);
        var options = DistributionOptions.Read(args);
        string? real = singleInput ? null : args.Positionals[0];
        string fake = args.Positionals[singleInput ? 0 : 1];
        var result = DistributionEvaluation.Evaluate(real, fake, metrics, options, DistributionOptions.ReadImageSettings(args, context));
        EvaluationOutput.Write(result, args, context);
        return 0;
    }
}
