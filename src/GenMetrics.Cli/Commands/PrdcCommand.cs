using System.CommandLine;
using GenMetrics.Evaluation;
using GenMetrics.Features;

namespace GenMetrics.Cli.Commands;

/// <summary>
/// <c>genmetrics prdc REAL FAKE [options]</c>: precision/recall (torch-fidelity) and density/coverage (prdc), on
/// torch-fidelity's features by default.
/// </summary>
internal sealed class PrdcCommand : ICliCommand
{
    private readonly Argument<string> _real = DistributionOptions.Real();
    private readonly Argument<string> _fake = DistributionOptions.Fake();
    private readonly Option<string> _protocol = DistributionOptions.ProtocolFor(KnownProtocols.TorchFidelity);

    public string Name => "prdc";

    public string Summary => "precision, recall (torch-fidelity), density, coverage (prdc) between REAL and FAKE (default protocol: torch-fidelity)";

    public IReadOnlyList<Symbol> Symbols => [_real, _fake, _protocol, .. DistributionOptions.Prdc, .. OptionCatalog.ImageInputs];

    public int Run(CommandLineArguments args, CliContext context) =>
        DistributionCommand.Run(args, context, DistributionMetrics.Prdc, _protocol);
}
