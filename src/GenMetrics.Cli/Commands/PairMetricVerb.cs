using GenMetrics.Imaging;

namespace GenMetrics.Cli.Commands;

/// <summary>The part every full-reference verb shares: pair REF and DIST, evaluate the pairs in parallel with a progress bar.</summary>
internal static class PairMetricVerb
{
    public const string InputsHelp =
        "  REF, DIST      two image files, or two folders/.zip archives paired by relative path\n" +
        "  --recursive    include sub-folders\n" +
        "  --json         print one JSON object (per-pair values, set values, settings)\n" +
        "  --quiet        no progress bar";

    /// <summary>Evaluates every pair; values come back in pair order whatever the thread count.</summary>
    public static List<(ImagePair Pair, T Value)> Evaluate<T>(CommandLineArguments args, CliContext context, string verb,
        Func<RgbImage, RgbImage, T> evaluate)
    {
        args.RequirePositionals(2, 2, $"genmetrics {verb} REF DIST");
        using var pairs = ImagePairs.Open(args.Positionals[0], args.Positionals[1], args.Has("--recursive"));
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
