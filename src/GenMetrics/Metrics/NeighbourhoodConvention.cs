namespace GenMetrics.Metrics;

/// <summary>How a k-NN ball membership test is evaluated (the references differ).</summary>
public enum NeighbourhoodConvention
{
    /// <summary>torch-fidelity: float32 distances, <c>d ≤ r</c>; fractions are float32 means.</summary>
    TorchFidelity,

    /// <summary>prdc: float64 distances (sklearn), strict <c>d &lt; r</c>; fractions are float64 means.</summary>
    Prdc,

    /// <summary>
    /// ADM evaluator (<c>ManifoldEstimator</c>): radii and comparisons on SQUARED distances rounded to float32,
    /// <c>d² ≤ r²</c>; fractions are float64 means.
    /// </summary>
    Adm,
}
