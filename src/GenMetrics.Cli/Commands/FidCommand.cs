using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics fid REAL FAKE [options]</c>: Fréchet Inception Distance between REAL and FAKE.</summary>
internal sealed class FidCommand : ICliCommand
{
    private const string Usage = "genmetrics fid REAL FAKE [options]";

    public string Name => "fid";

    public string Summary => "Fréchet Inception Distance between REAL and FAKE";

    public string Help => $"usage: {Usage}\n\n{DistributionOptions.HelpText}";

    public CommandOptions Options { get; } = DistributionOptions.Create();

    public int Run(CommandLineArguments args, CliContext context) =>
        DistributionCommand.Run(Name, args, context, DistributionMetrics.Fid, Usage, singleInput: false);
}
