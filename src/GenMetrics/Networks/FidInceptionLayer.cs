namespace GenMetrics.Networks;

/// <summary>The feature layers one forward pass of the FID Inception-v3 can return.</summary>
public enum FidInceptionLayer
{
    /// <summary>64-d: spatial mean of the first max-pool output (pytorch-fid <c>--dims 64</c>).</summary>
    Block64,

    /// <summary>192-d: spatial mean of the second max-pool output (<c>--dims 192</c>).</summary>
    Block192,

    /// <summary>768-d: spatial mean of Mixed_6e (<c>--dims 768</c>).</summary>
    Block768,

    /// <summary>2048-d pool3: spatial mean of Mixed_7c, the FID/KID/PR features.</summary>
    Pool3,

    /// <summary>1008-d logits: fc(pool3) with bias.</summary>
    Logits,

    /// <summary>1008-d logits without the fc bias (pool3 · Wᵀ), torch-fidelity's default for IS.</summary>
    LogitsUnbiased,

    /// <summary>
    /// 2023-d sFID features (ADM evaluator): Mixed_6d.branch1x1 after its ReLU (TF <c>mixed_6/conv</c>, N×192×17×17),
    /// first 7 channels, flattened in NHWC order (index (h·17 + w)·7 + c). Built into the graph only when requested.
    /// </summary>
    Spatial,
}
