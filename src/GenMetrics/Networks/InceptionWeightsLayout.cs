namespace GenMetrics.Networks;

/// <summary>Which published Inception-v3 checkpoint a protocol's network is built from; both give the same <see cref="FidInceptionV3"/> graph.</summary>
internal enum InceptionWeightsLayout
{
    /// <summary>pytorch-fid's <c>pt_inception-2015-12-05-6726825d.pth</c> state dict (torchvision names, BatchNorm with γ).</summary>
    PytorchFid,

    /// <summary>NVIDIA's TorchScript <c>inception-2015-12-05.pt</c> (<see cref="NvidiaInceptionWeights"/> names, no γ).</summary>
    NvidiaTorchScript,
}
