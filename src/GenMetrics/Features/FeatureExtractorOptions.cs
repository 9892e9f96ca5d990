using GenMetrics.Networks;

namespace GenMetrics.Features;

/// <summary>Settings of a <see cref="FeatureExtractor"/>.</summary>
public sealed record FeatureExtractorOptions
{
    /// <summary>Default images per network call (pytorch-fid's default is 50; results do not depend on it).</summary>
    /// <remarks>
    /// 16: measured on 640 + 64 256×256 PNGs (whole <c>fid</c> process, 2 cores), as fast as 32 (44.5 s against
    /// 45.8 s) with a 520 MB peak instead of 733 MB, since the network's activations grow with the batch.
    /// </remarks>
    public const int DefaultBatchSize = 16;

    /// <summary>
    /// The FID Inception-v3 state dict (<c>pt_inception-2015-12-05-6726825d.pth</c> or compatible), or for the
    /// clean and clean-legacy-tf protocols NVIDIA's TorchScript <c>inception-2015-12-05.pt</c>; null looks in the
    /// GenMetrics and torch.hub caches, then downloads (<see cref="Weights.KnownWeights.FidInceptionV3"/>,
    /// <see cref="Weights.KnownWeights.NvidiaInception"/>).
    /// </summary>
    public string? WeightsPath { get; init; }

    /// <summary>Preprocessing; default pytorch-fid.</summary>
    public PreprocessingProtocol Protocol { get; init; } = KnownProtocols.PytorchFid;

    /// <summary>Layers to return; default pool3 only. Layers not listed are not computed.</summary>
    public IReadOnlyList<FidInceptionLayer> Layers { get; init; } = [FidInceptionLayer.Pool3];

    /// <summary>Images per network call; results do not depend on it.</summary>
    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Execution provider.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>The GPU ordinal when <see cref="Device"/> is <see cref="ComputeDevice.Cuda"/> (PyTorch's <c>cuda:N</c>); default 0.</summary>
    public int DeviceId { get; init; }

    /// <summary>Image decode and resize workers running ahead of the network (0 = one per two cores, at most 8); results do not depend on it.</summary>
    public int DecodeWorkers { get; init; }

    /// <summary>Threads for the network (0 = one per core); results do not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Whether idle ONNX Runtime threads spin; off by default: spinning burns the cores the decode and
    /// resize thread needs (benchmark: less CPU per image, faster on a loaded machine).</summary>
    internal bool AllowSpinning { get; init; }
}
