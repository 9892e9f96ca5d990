using GenMetrics.Statistics;

namespace GenMetrics.Cli.Commands;

/// <summary>The flags of <c>stats</c> and <c>merge-stats</c> that choose how the stats file is written (<see cref="StatsFileOptions"/>).</summary>
internal static class StatsFileFlags
{
    public static readonly string[] Flags = ["--uncompressed", "--sums"];

    public const string HelpText =
        "  --uncompressed     store the .npz members without deflate (numpy savez); default: compressed (savez_compressed)\n" +
        "  --sums             also write sum and sum_xxT (n, mu and sigma are enough to merge)";

    public static StatsFileOptions Read(CommandLineArguments args) => new()
    {
        Compress = !args.Has("--uncompressed"),
        IncludeSums = args.Has("--sums"),
    };
}
