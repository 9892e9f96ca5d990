namespace GenMetrics.Cli;

/// <summary>The list of verbs. Each verb lives in its own file under Commands/; this list only composes them.</summary>
internal static class CommandCatalog
{
    public static IReadOnlyList<ICliCommand> All { get; } =
    [
        new Commands.FidCommand(),
        new Commands.IsCommand(),
        new Commands.KidCommand(),
        new Commands.PrdcCommand(),
        new Commands.EvalCommand(),
        new Commands.LpipsCommand(),
        new Commands.SsimCommand(),
        new Commands.MsSsimCommand(),
        new Commands.PsnrCommand(),
        new Commands.FeaturesCommand(),
        new Commands.StatsCommand(),
        new Commands.MergeStatsCommand(),
        new Commands.MergeFeaturesCommand(),
        new Commands.WeightsCommand(),
    ];
}
