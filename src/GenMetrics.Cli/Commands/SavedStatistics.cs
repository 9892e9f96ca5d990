using System.CommandLine;
using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Evaluation;

namespace GenMetrics.Cli.Commands;

/// <summary>
/// <c>fid --save-stats S.npz</c>: where the inputs' statistics go (S.npz for one input; S.real.npz and S.fake.npz
/// beside a FID of two) and writing them through the same path as <c>genmetrics stats</c> (the feature cache makes
/// the second pass over an image input a read of its cached features).
/// </summary>
internal static class SavedStatistics
{
    /// <summary>
    /// The file per input: one input → <paramref name="target"/>; two → S.real.npz, S.fake.npz, and none for an
    /// input that already is a statistics file.
    /// </summary>
    public static string?[] Targets(IReadOnlyList<string> inputs, string target)
    {
        if (inputs.Count == 1) return [target];
        string stem = target.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) ? target[..^4] : target;
        return [.. new[] { "real", "fake" }.Select((role, i) => IsStatistics(inputs[i]) ? null : $"{stem}.{role}.npz")];
    }

    /// <summary>Checks every target before any work: a writable place, and a .npz name.</summary>
    public static void RequireTargets(IReadOnlyList<string> inputs, string target)
    {
        if (!target.EndsWith(".npz", StringComparison.OrdinalIgnoreCase)) throw new GenMetricsException($"{target}: --save-stats must name a .npz file");
        foreach (string? t in Targets(inputs, target))
        {
            if (t is not null) FileKindPolicy.RequireWritableOutput(t);
        }
    }

    public static void Write(CommandLineArguments args, CliContext context, Option<string> protocol, string input, string target, bool quietLine = false)
    {
        var stats = DistributionEvaluation.WriteStatistics(input, target, DistributionOptions.Read(args, protocol), DistributionOptions.ReadImageSettings(args, context));
        string line = string.Create(CultureInfo.InvariantCulture, $"wrote {target}: statistics of {input} (n={stats.Count}, d={stats.Dimension}, protocol {stats.Provenance.Protocol})");
        if (quietLine || args.Json) context.Error.WriteLine(line);
        else context.Out.WriteLine(line);
    }

    private static bool IsStatistics(string path) =>
        path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) && !DistributionEvaluation.IsImageInput(path);
}
