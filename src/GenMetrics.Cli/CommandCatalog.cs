namespace GenMetrics.Cli;

/// <summary>The list of verbs. Each verb lives in its own file under Commands/; this list only composes them.</summary>
internal static class CommandCatalog
{
    public static IReadOnlyList<ICliCommand> All { get; } =
    [
        new Commands.WeightsCommand(),
        new Commands.FeaturesCommand(),
        new Commands.SsimCommand(),
        new Commands.MsSsimCommand(),
        new Commands.PsnrCommand(),
        new Commands.LpipsCommand(),
    ];
}
