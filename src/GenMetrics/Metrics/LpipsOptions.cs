namespace GenMetrics.Metrics;

/// <summary>How an <see cref="Lpips"/> instance is built.</summary>
public sealed record LpipsOptions
{
    /// <summary>The trunk; AlexNet by default, as in the reference.</summary>
    public LpipsNetwork Network { get; init; } = LpipsNetwork.Alex;

    /// <summary>
    /// The trunk's torchvision weights (a full torchvision checkpoint such as <c>alexnet-owt-7be5be79.pth</c> or
    /// a file with only the <c>features.*</c> keys). When null the known torchvision file is found in the caches
    /// or downloaded.
    /// </summary>
    public string? BackboneWeightsPath { get; init; }

    /// <summary>Largest number of pairs run through the network together (pairs of equal size only).</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Threads inside one ONNX Runtime operator; 0 = all cores.</summary>
    public int Threads { get; init; }

    /// <summary>Where the network runs.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Cpu;

    /// <summary>The GPU ordinal when <see cref="Device"/> is <see cref="ComputeDevice.Cuda"/> (PyTorch's <c>cuda:N</c>); default 0.</summary>
    public int DeviceId { get; init; }
}
