namespace GenMetrics.Features;

/// <summary>The precision in which a reference tool forms FID's means μ1, μ2 and μ1 − μ2 (Σ is float64 in all of them).</summary>
internal enum FidMean
{
    /// <summary>The float64 mean (pytorch-fid's <c>np.mean</c> of float64 activations; torchmetrics' float64 running sums).</summary>
    Float64,

    /// <summary><c>np.mean</c> of float32 activations kept in float32, μ1 − μ2 in float32 (torch-fidelity, clean-fid, ADM).</summary>
    Float32,
}
