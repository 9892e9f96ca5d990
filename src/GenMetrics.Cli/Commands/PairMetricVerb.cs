using GenMetrics.Cli.Reports;
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

    /// <summary>Help lines of the report options.</summary>
    public static string ReportHelp => ReportRequest.HelpText;

    /// <summary>Options every full-reference verb takes besides its own.</summary>
    public static readonly string[] ValueOptions = ReportRequest.ValueOptions;

    /// <summary>Pairs REF and DIST (after checking the positionals); the caller keeps it open until its report is written.</summary>
    public static ImagePairs Open(CommandLineArguments args, string verb)
    {
        args.RequirePositionals(2, 2, $"genmetrics {verb} REF DIST");
        return ImagePairs.Open(args.Positionals[0], args.Positionals[1], args.Has("--recursive"));
    }

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
