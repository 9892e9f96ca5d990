namespace GenMetrics.Statistics;

/// <summary>
/// Where statistics came from: the preprocessing protocol (e.g. "pytorch-fid", "torch-fidelity"), a weights
/// identity (file name and hash) and the feature layer (e.g. "2048"). Empty strings mean "unknown" (plain
/// pytorch-fid stats files carry no provenance).
/// </summary>
/// <param name="Protocol">Preprocessing protocol name.</param>
/// <param name="Weights">Weights identity.</param>
/// <param name="Layer">Feature layer.</param>
public sealed record StatsProvenance(string Protocol, string Weights, string Layer)
{
    /// <summary>No provenance recorded.</summary>
    public static StatsProvenance Unknown { get; } = new("", "", "");

    /// <summary>
    /// The first field in which two known provenances differ ("protocol", "weights", "layer"), or null when
    /// they agree; unknown (empty) fields match anything.
    /// </summary>
    public string? FirstConflict(StatsProvenance other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Differs(Protocol, other.Protocol)) return $"protocol '{Protocol}' vs '{other.Protocol}'";
        if (Differs(Layer, other.Layer)) return $"layer '{Layer}' vs '{other.Layer}'";
        if (Differs(Weights, other.Weights)) return $"weights '{Weights}' vs '{other.Weights}'";
        return null;
    }

    private static bool Differs(string a, string b) => a.Length > 0 && b.Length > 0 && !string.Equals(a, b, StringComparison.Ordinal);
}
