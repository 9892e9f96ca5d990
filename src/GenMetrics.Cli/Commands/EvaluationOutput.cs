using System.Globalization;
using System.Text.Json;
using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary>Writes an <see cref="EvaluationResult"/> as text lines or one JSON object (keys fixed by issue 4).</summary>
internal static class EvaluationOutput
{
    public static void Write(EvaluationResult r, CommandLineArguments args, CliContext context)
    {
        foreach (string w in r.Warnings) context.Warn(w);
        if (args.Json)
        {
            JsonOutput.WriteObject(context.Out, json => WriteJson(json, r));
            return;
        }
        var o = context.Out;
        var c = CultureInfo.InvariantCulture;
        if (r.Fid is { } fid)
        {
            o.WriteLine(string.Create(c, $"FID: {fid.Value:R}"));
            if (fid.Safeguard != FrechetSafeguard.None) o.WriteLine($"FID safeguard: {SafeguardName(fid.Safeguard)} (pytorch-fid's eps=1e-6 retry, as the reference would take it)");
        }
        if (r.SpatialFid is { } sfid) o.WriteLine(string.Create(c, $"sFID: {sfid.Value:R}"));
        if (r.InceptionScore is { } isc) o.WriteLine(string.Create(c, $"IS: {isc.Mean:R} ± {isc.Std:R}"));
        if (r.Kid is { } kid) o.WriteLine(string.Create(c, $"KID: {kid.Mean:R} ± {kid.Std:R}"));
        if (r.PrecisionRecall is { } pr) o.WriteLine(string.Create(c, $"precision: {pr.Precision:R}  recall: {pr.Recall:R}"));
        if (r.DensityCoverage is { } dc) o.WriteLine(string.Create(c, $"density: {dc.Density:R}  coverage: {dc.Coverage:R}"));
    }

    internal static void WriteJson(Utf8JsonWriter json, EvaluationResult r)
    {
        if (r.Fid is { } fid)
        {
            JsonOutput.WriteNumber(json, "fid", fid.Value);
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
        }
        if (r.Kid is { } kid)
        {
            JsonOutput.WriteNumber(json, "kid_mean", kid.Mean);
            JsonOutput.WriteNumber(json, "kid_std", kid.Std);
        }
        if (r.PrecisionRecall is { } pr)
        {
            JsonOutput.WriteNumber(json, "precision", pr.Precision);
            JsonOutput.WriteNumber(json, "recall", pr.Recall);
        }
        if (r.DensityCoverage is { } dc)
        {
            JsonOutput.WriteNumber(json, "density", dc.Density);
            JsonOutput.WriteNumber(json, "coverage", dc.Coverage);
        }
        json.WriteString("protocol", r.Protocol.Name);
        json.WriteNumber("n_real", r.RealCount);
        json.WriteNumber("n_fake", r.FakeCount);
        if (r.Warnings.Count > 0)
        {
            json.WriteStartArray("warnings");
            foreach (string w in r.Warnings) json.WriteStringValue(w);
            json.WriteEndArray();
        }
    }

    private static string SafeguardName(FrechetSafeguard s) => s switch
    {
        FrechetSafeguard.DiagonalOffset => "diagonal_offset_1e-06",
        _ => "none",
    };
}
