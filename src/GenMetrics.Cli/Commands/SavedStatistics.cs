using System.CommandLine;
using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Evaluation;
using GenMetrics.Statistics;

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

    /// <summary>Writes the statistics of every input that gets a target and describes them for the result.</summary>
    public static ResultAddition Write(CommandLineArguments args, CliContext context, Option<string> protocol, IReadOnlyList<string> inputs, string target)
    {
        var targets = Targets(inputs, target);
        var saved = new List<(string Role, string Input, string Path, GaussianStatistics Stats)>();
        for (int i = 0; i < inputs.Count; i++)
        {
            if (targets[i] is not { } path) continue;
            var stats = DistributionEvaluation.WriteStatistics(inputs[i], path, DistributionOptions.Read(args, protocol), DistributionOptions.ReadImageSettings(args, context));
            saved.Add((inputs.Count == 1 ? "input" : i == 0 ? "real" : "fake", inputs[i], path, stats));
        }
        return new ResultAddition(json =>
        {
            json.WriteStartArray("saved_statistics");
            foreach (var s in saved)
            {
                json.WriteStartObject();
                json.WriteString("role", s.Role);
                json.WriteString("input", s.Input);
                json.WriteString("path", s.Path);
                if (s.Stats.Count is long n) json.WriteNumber("n", n);
                json.WriteNumber("dims", s.Stats.Dimension);
                json.WriteString("protocol", s.Stats.Provenance.Protocol);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }, text =>
        {
            foreach (var s in saved)
            {
                text.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {s.Path}: statistics of {s.Input} (n={s.Stats.Count}, d={s.Stats.Dimension}, protocol {s.Stats.Provenance.Protocol})"));
            }
        });
    }

    private static bool IsStatistics(string path) =>
        path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) && !DistributionEvaluation.IsImageInput(path);
}
