using System.Globalization;
using System.Text.Json;
using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary>
/// Writes an <see cref="EvaluationResult"/> (fid, is, kid, prdc, eval) as text lines or the JSON result of
/// docs/json.md: the short keys of issue 4 beside torch-fidelity's names, then settings and inputs.
/// </summary>
internal static class EvaluationOutput
{
    /// <summary>What the verb evaluated: the inputs as given and the settings it ran with.</summary>
    /// <param name="RealPath">REAL as given; null for <c>is</c>.</param>
    /// <param name="FakePath">FAKE as given.</param>
    /// <param name="Options">The metric settings.</param>
    /// <param name="Images">The feature-extraction settings (used when an input is images).</param>
    internal sealed record Run(string? RealPath, string FakePath, EvaluationOptions Options, ImageFeatureSettings Images);

    /// <summary>Writes the result; <paramref name="addition"/> (e.g. fid's saved statistics) follows the metric values.</summary>
    public static void Write(string command, EvaluationResult r, Run run, CliContext context, ResultAddition? addition = null)
    {
        foreach (string w in r.Warnings) context.Warn(OptionNames.InText(w));
        context.WriteResult(command, json =>
        {
            WriteJson(json, r, run);
            addition?.Json(json);
        }, o =>
        {
            WriteText(o, r);
            WriteInputsText(o, r, run);
            addition?.Text(o);
        });
    }

    /// <summary>The inputs in the order the metrics take them: "real: PATH (n), fake: PATH (n)".</summary>
    private static void WriteInputsText(TextWriter o, EvaluationResult r, Run run)
    {
        static string Count(long n) => n > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({n})") : "";
        string fake = $"fake: {run.FakePath}{Count(r.FakeCount)}";
        o.WriteLine(run.RealPath is null ? fake : $"real: {run.RealPath}{Count(r.RealCount)}, {fake}");
    }

    private static void WriteText(TextWriter o, EvaluationResult r)
    {
        var c = CultureInfo.InvariantCulture;
        if (r.Fid is { } fid)
        {
            o.WriteLine(string.Create(c, $"FID: {fid.Value:R}"));
            if (fid.Safeguard != FrechetSafeguard.None) o.WriteLine($"FID safeguard: {SafeguardName(fid.Safeguard)} (pytorch-fid's eps=1e-6 retry, as the reference would take it)");
        }
        if (r.SpatialFid is { } sfid) o.WriteLine(string.Create(c, $"sFID: {sfid.Value:R}"));
        if (r.InceptionScore is { } isc) o.WriteLine(string.Create(c, $"IS: {isc.Mean:R} ± {isc.Std:R}"));
        if (r.Kid is { } kid) o.WriteLine(string.Create(c, $"KID: {kid.Mean:R} ± {kid.Std:R}"));
        if (r.PrecisionRecall is { } pr) o.WriteLine(string.Create(c, $"precision: {pr.Precision:R}  recall: {pr.Recall:R}  f_score: {pr.FScore:R}"));
        if (r.DensityCoverage is { } dc) o.WriteLine(string.Create(c, $"density: {dc.Density:R}  coverage: {dc.Coverage:R}"));
    }

    internal static void WriteJson(Utf8JsonWriter json, EvaluationResult r, Run run)
    {
        if (r.Fid is { } fid)
        {
            JsonOutput.WriteNumber(json, "fid", fid.Value);
            JsonOutput.WriteNumber(json, "frechet_inception_distance", fid.Value);
            json.WriteString("fid_safeguard", SafeguardName(fid.Safeguard));
            json.WriteNumber("fid_sigma1_rank", fid.Rank);
            json.WriteNumber("fid_clamped_eigenvalues", fid.ClampedEigenvalues);
        }
        if (r.SpatialFid is { } sfid)
        {
            JsonOutput.WriteNumber(json, "sfid", sfid.Value);
            json.WriteNumber("sfid_sigma1_rank", sfid.Rank);
        }
        if (r.InceptionScore is { } isc)
        {
            JsonOutput.WriteNumber(json, "is_mean", isc.Mean);
            JsonOutput.WriteNumber(json, "is_std", isc.Std);
            JsonOutput.WriteNumber(json, "inception_score_mean", isc.Mean);
            JsonOutput.WriteNumber(json, "inception_score_std", isc.Std);
        }
        if (r.Kid is { } kid)
        {
            JsonOutput.WriteNumber(json, "kid_mean", kid.Mean);
            JsonOutput.WriteNumber(json, "kid_std", kid.Std);
            JsonOutput.WriteNumber(json, "kernel_inception_distance_mean", kid.Mean);
            JsonOutput.WriteNumber(json, "kernel_inception_distance_std", kid.Std);
        }
        if (r.PrecisionRecall is { } pr)
        {
            JsonOutput.WriteNumber(json, "precision", pr.Precision);
            JsonOutput.WriteNumber(json, "recall", pr.Recall);
            JsonOutput.WriteNumber(json, "f_score", pr.FScore);
        }
        if (r.DensityCoverage is { } dc)
        {
            JsonOutput.WriteNumber(json, "density", dc.Density);
            JsonOutput.WriteNumber(json, "coverage", dc.Coverage);
        }
        json.WriteString("protocol", r.Protocol.Name);
        if (run.RealPath is not null && r.RealCount > 0) json.WriteNumber("n_real", r.RealCount);
        if (r.FakeCount > 0) json.WriteNumber("n_fake", r.FakeCount);
        WriteSettings(json, r, run);
        var inputs = new List<ResultInput>();
        if (run.RealPath is not null) inputs.Add(ResultInput.Of("real", run.RealPath, r.RealCount));
        inputs.Add(ResultInput.Of("fake", run.FakePath, r.FakeCount));
        if (run.Options.LogitsPath is { } logits) inputs.Add(ResultInput.Of("logits", logits, null));
        ResultInput.WriteAll(json, inputs);
        if (r.Warnings.Count > 0)
        {
            json.WriteStartArray("warnings");
            foreach (string w in r.Warnings) json.WriteStringValue(OptionNames.InText(w));
            json.WriteEndArray();
        }
    }

    /// <summary>The settings that applied: those of the metrics computed, and the network's when images were read.</summary>
    private static void WriteSettings(Utf8JsonWriter json, EvaluationResult r, Run run)
    {
        var o = run.Options;
        json.WriteStartObject("settings");
        json.WriteString("protocol", r.Protocol.Name);
        if (r.Dimensions > 0) json.WriteNumber("dims", r.Dimensions);
        JsonOutput.WriteOptionalString(json, "layer", r.Layer);
        if (r.Network is not null)
        {
            json.WriteString("network", r.Network);
            JsonOutput.WriteOptionalString(json, "weights_file", r.WeightsFileName);
            JsonOutput.WriteOptionalString(json, "weights_sha256", r.WeightsSha256);
            json.WriteNumber("batch_size", run.Images.BatchSize);
            JsonOutput.WriteDevice(json, run.Images.Device);
        }
        bool seeded = r.Kid is not null || (r.InceptionScore is not null && o.Shuffle);
        if (seeded) json.WriteNumber("seed", o.Seed);
        if (r.InceptionScore is not null)
        {
            json.WriteNumber("splits", o.Splits);
            json.WriteBoolean("shuffle", o.Shuffle);
        }
        if (r.Kid is not null)
        {
            json.WriteNumber("subsets", o.Subsets);
            json.WriteNumber("subset_size", o.SubsetSize);
        }
        if (r.PrecisionRecall is not null) json.WriteNumber("precision_recall_k", o.PrecisionRecallK);
        if (r.DensityCoverage is not null) json.WriteNumber("density_coverage_k", o.DensityCoverageK);
        if (o.Force) json.WriteBoolean("force", true);
        json.WriteEndObject();
    }

    private static string SafeguardName(FrechetSafeguard s) => s switch
    {
        FrechetSafeguard.DiagonalOffset => "diagonal_offset_1e-06",
        _ => "none",
    };
}
