using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics is FAKE [options]</c>: Inception Score of FAKE (torch-fidelity).</summary>
internal sealed class IsCommand : ICliCommand
{
    private const string Usage = "genmetrics is FAKE [options]";

    public string Name => "is";

    public string Summary => "Inception Score of FAKE (torch-fidelity)";

    public string Help => $"usage: {Usage}\n\n{DistributionOptions.HelpText}";

    public CommandOptions Options { get; } = DistributionOptions.Create();

    public int Run(CommandLineArguments args, CliContext context) =>
        DistributionCommand.Run(Name, args, context, DistributionMetrics.InceptionScore, Usage, singleInput: true);
}
