using System.CommandLine;
using GenMetrics.Evaluation;
using GenMetrics.Features;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics kid REAL FAKE [options]</c>: Kernel Inception Distance, torch-fidelity's protocol by default.</summary>
internal sealed class KidCommand : ICliCommand
{
    private readonly Argument<string> _real = DistributionOptions.Real();
    private readonly Argument<string> _fake = DistributionOptions.Fake();
    private readonly Option<string> _protocol = DistributionOptions.ProtocolFor(KnownProtocols.TorchFidelity);

    public string Name => "kid";

    public string Summary => "Kernel Inception Distance between REAL and FAKE (default protocol: torch-fidelity)";

    public IReadOnlyList<Symbol> Symbols => [_real, _fake, _protocol, .. DistributionOptions.Kid, .. OptionCatalog.ImageInputs];

    public int Run(CommandLineArguments args, CliContext context) =>
        DistributionCommand.Run(args, context, DistributionMetrics.Kid, _protocol);
}
