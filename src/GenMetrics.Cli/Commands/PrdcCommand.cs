using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics prdc REAL FAKE [options]</c>: precision/recall (k=3, torch-fidelity) and density/coverage (k=5, prdc).</summary>
internal sealed class PrdcCommand : ICliCommand
{
    private const string Usage = "genmetrics prdc REAL FAKE [options]";

    public string Name => "prdc";

    public string Summary => "precision/recall (k=3, torch-fidelity) and density/coverage (k=5, prdc)";

    public string Help => $"usage: {Usage}\n\n{DistributionOptions.HelpText}";

    public CommandOptions Options { get; } = DistributionOptions.Create();

    public int Run(CommandLineArguments args, CliContext context) =>
        DistributionCommand.Run(Name, args, context, DistributionMetrics.Prdc, Usage, singleInput: false);
}
