namespace GenMetrics.Cli;

/// <summary>
/// The command-line option that sets each library parameter or options property named by
/// <see cref="GenMetricsException.ParameterName"/>: the library's messages speak its API, the CLI adds the flag.
/// </summary>
internal static class OptionNames
{
    // Keys are the API spellings (EvaluationOptions / ImageFeatureSettings / LpipsOptions properties and the metric
    // functions' parameters); case is ignored so "SubsetSize" and "subsetSize" share one entry.
    private static readonly Dictionary<string, string> Flags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Protocol"] = "--protocol",
        ["Dimensions"] = "--dims",
        ["Splits"] = "--splits",
        ["Shuffle"] = "--no-shuffle",
        ["Subsets"] = "--subsets",
        ["SubsetSize"] = "--subset-size",
        ["PrecisionRecallK"] = "--k",
        ["DensityCoverageK"] = "--k",
        ["k"] = "--k",
        ["Seed"] = "--seed",
        ["Force"] = "--force",
        ["LogitsPath"] = "--logits",
        ["WeightsPath"] = "--weights",
        ["BackboneWeightsPath"] = "--backbone-weights",
        ["Network"] = "--net",
        ["BatchSize"] = "--batch-size",
        ["Device"] = "--device",
        ["CacheDirectory"] = "--cache-dir",
        ["DecodeWorkers"] = "--num-workers",
        ["DeviceId"] = "--device",
        ["Threads"] = "--threads",
        ["recursive"] = "--recursive",
        ["shard"] = "--shard",
    };

    /// <summary>
    /// A library message with the options properties it names (<c>EvaluationOptions.Force</c>) spelled as the flags
    /// that set them (<c>--force</c>); a property without a flag stays as it is.
    /// </summary>
    public static string InText(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"\b(?:EvaluationOptions|ImageFeatureSettings|LpipsOptions)\.(\w+)",
            m => For(m.Groups[1].Value) ?? m.Value);

    /// <summary>The flag that sets <paramref name="parameterName"/>, or null when none does.</summary>
    public static string? For(string? parameterName) =>
        parameterName is not null && Flags.TryGetValue(parameterName, out var flag) ? flag : null;
}
