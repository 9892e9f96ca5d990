namespace GenMetrics.Features;

/// <summary>Whose rules a protocol's KID subsets, Inception Score splits and precision/recall follow.</summary>
internal enum MetricRules
{
    /// <summary>torch-fidelity's (numpy <c>RandomState</c> subsets and shuffle); also pytorch-fid's and clean-fid's protocols.</summary>
    TorchFidelity,

    /// <summary>torchmetrics' (torch CPU <c>randperm</c> subsets, <c>torch.chunk</c> IS splits, N−1 IS std).</summary>
    Torchmetrics,

    /// <summary>The ADM evaluator's: IS in 5000-row splits without shuffle, squared-distance precision/recall, FID as <c>sample.frechet_distance(ref)</c>.</summary>
    Adm,
}
