using System.CommandLine;
using GenMetrics.Evaluation;
using GenMetrics.Features;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics is FAKE [options]</c>: Inception Score of FAKE, torch-fidelity's protocol by default.</summary>
internal sealed class IsCommand : ICliCommand
{
    private readonly Argument<string> _fake = new("FAKE") { Description = "the generated set: an image folder, a .zip of images, one image file, or an .npy of logits (N x 1008)" };
    private readonly Option<string> _protocol = DistributionOptions.ProtocolFor(KnownProtocols.TorchFidelity);

    public string Name => "is";

    public string Summary => "Inception Score of FAKE (default protocol: torch-fidelity)";

    public IReadOnlyList<Symbol> Symbols => [_fake, _protocol, .. DistributionOptions.InceptionScore, .. OptionCatalog.ImageInputs];

    public int Run(CommandLineArguments args, CliContext context) =>
        DistributionCommand.Run(args, context, DistributionMetrics.InceptionScore, _protocol);
}
