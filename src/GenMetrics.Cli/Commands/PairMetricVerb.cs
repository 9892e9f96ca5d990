using System.CommandLine;
using GenMetrics.Imaging;

namespace GenMetrics.Cli.Commands;

/// <summary>The part every full-reference verb shares: pair REF and DIST, evaluate the pairs in parallel with a progress bar.</summary>
internal static class PairMetricVerb
{
    /// <summary>The REF and DIST arguments, <c>--recursive</c> and the report options every full-reference verb takes.</summary>
    public static Symbol[] Symbols() =>
    [
        new Argument<string>("REF") { Description = "the reference: an image file, or a folder or .zip of images paired with DIST by relative path" },
        new Argument<string>("DIST") { Description = "the distorted image(s): an image file, or a folder or .zip with the same relative paths" },
        OptionCatalog.Recursive, OptionCatalog.Report, OptionCatalog.ReportCount,
    ];

    /// <summary>Pairs REF and DIST; the caller keeps it open until its report is written.</summary>
    public static ImagePairs Open(CommandLineArguments args) =>
        ImagePairs.Open(args.Positionals[0], args.Positionals[1], args.Get(OptionCatalog.Recursive));

    /// <summary>Evaluates every pair; values come back in pair order whatever the thread count.</summary>
    public static List<(ImagePair Pair, T Value)> Evaluate<T>(ImagePairs pairs, CliContext context, string verb,
        Func<RgbImage, RgbImage, T> evaluate)
    {
        var progress = pairs.Pairs.Count > 1 ? context.CreateProgress() : null;
        var results = new List<(ImagePair, T)>(pairs.Pairs.Count);
        foreach (var item in pairs.EvaluateInOrder(evaluate, Environment.ProcessorCount))
        {
            results.Add(item);
            progress?.Report(new WorkProgress(verb, results.Count, pairs.Pairs.Count));
        }
        return results;
    }
}
