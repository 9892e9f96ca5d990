using System.CommandLine;
using GenMetrics.Statistics;

namespace GenMetrics.Cli.Commands;

/// <summary>The options of <c>stats</c> and <c>merge-stats</c> that choose how the stats file is written (<see cref="StatsFileOptions"/>).</summary>
internal static class StatsFileFlags
{
    public static readonly Option<bool> Uncompressed = new("--uncompressed")
    {
        Description = "store the .npz members without deflate (numpy savez); default: compressed (savez_compressed)",
    };

    public static readonly Option<bool> Sums = new("--sums") { Description = "also write sum and sum_xxT (n, mu and sigma are enough to merge)" };

    public static Option[] Options => [Uncompressed, Sums];

    public static StatsFileOptions Read(CommandLineArguments args) => new()
    {
        Compress = !args.Get(Uncompressed),
        IncludeSums = args.Get(Sums),
    };
}
