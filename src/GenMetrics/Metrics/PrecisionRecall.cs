namespace GenMetrics.Metrics;

/// <summary>Improved precision and recall.</summary>
/// <param name="Precision">Fraction of fake samples inside the union of real k-NN balls.</param>
/// <param name="Recall">Fraction of real samples inside the union of fake k-NN balls.</param>
public sealed record PrecisionRecallResult(double Precision, double Recall)
{
    /// <summary>
    /// Harmonic mean of precision and recall as torch-fidelity's <c>prc_features_to_metric</c> computes it:
    /// <c>2·P·R / max(1e-5, P + R)</c> in float64 (0 when both are 0).
    /// </summary>
    public double FScore => 2 * Precision * Recall / Math.Max(1e-5, Precision + Recall);
}

/// <summary>
/// Precision/recall of Kynkäänniemi et al. 2019 with k-NN radii (the (k+1)-th smallest distance within a set,
/// counting the point itself). Default convention: torch-fidelity's <c>prc_features_to_metric</c> (k = 3,
/// float32 distances, <c>≤</c>, float32 means); <see cref="NeighbourhoodConvention.Prdc"/> gives prdc's
/// (float64, strict <c>&lt;</c>).
/// </summary>
/// <remarks>Distances are computed in row blocks (bounded memory, both cores). Parity: exact fractions.</remarks>
public static class PrecisionRecall
{
    /// <summary>Computes precision and recall; <paramref name="real"/> and <paramref name="fake"/> are n×d row-major.</summary>
    public static PrecisionRecallResult Compute(double[] real, double[] fake, int dimension, int k = MetricDefaults.PrecisionRecallK,
        NeighbourhoodConvention convention = NeighbourhoodConvention.TorchFidelity, int maxThreads = -1)
    {
        var (nReal, nFake) = FeatureSets.Validate(real, fake, dimension);
        var c = KNearestManifolds.Evaluate(real, nReal, fake, nFake, dimension, [new KNearestManifolds.Request(k, convention)], maxThreads)[0];
        return FromCounts(c, convention);
    }

    /// <summary>
    /// ADM evaluator's precision/recall (<c>compute_prec_recall(ref, sample)</c>, k = 3): radii are float32 squared
    /// distances to the k-th neighbour (self included), a point counts when d² ≤ r² for some ball; precision = share
    /// of <paramref name="sample"/> inside the <paramref name="reference"/> manifold, recall the converse.
    /// </summary>
    /// <remarks>Parity with <c>golden/adm</c>: identical fractions from the same features (radii within float32 rounding).</remarks>
    public static PrecisionRecallResult ComputeAdm(double[] reference, double[] sample, int dimension, int k = MetricDefaults.PrecisionRecallK, int maxThreads = -1) =>
        Compute(reference, sample, dimension, k, NeighbourhoodConvention.Adm, maxThreads);

    internal static PrecisionRecallResult FromCounts(KNearestManifolds.Counts c, NeighbourhoodConvention convention) =>
        convention == NeighbourhoodConvention.TorchFidelity
            ? new PrecisionRecallResult((float)c.FakeInRealBalls / (float)c.NFake, (float)c.RealInFakeBalls / (float)c.NReal)
            : new PrecisionRecallResult((double)c.FakeInRealBalls / c.NFake, (double)c.RealInFakeBalls / c.NReal);
}
