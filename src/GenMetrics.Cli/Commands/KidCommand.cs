using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics kid REAL FAKE [options]</c>: Kernel Inception Distance (torch-fidelity; FAKE = input1).</summary>
internal sealed class KidCommand : ICliCommand
{
    private const string Usage = "genmetrics kid REAL FAKE [options]";

    public string Name => "kid";

    public string Summary => "Kernel Inception Distance (torch-fidelity; FAKE = input1)";

    public string Help => $"usage: {Usage}\n\n{DistributionOptions.HelpText}";

    public CommandOptions Options { get; } = DistributionOptions.Create();

    public int Run(CommandLineArguments args, CliContext context) =>
        DistributionCommand.Run(Name, args, context, DistributionMetrics.Kid, Usage, singleInput: false);
}
