namespace GenMetrics.Onnx;

/// <summary>How an <see cref="OnnxModelSession"/> is created.</summary>
/// <param name="Device">Execution provider.</param>
/// <param name="IntraOpThreads">Threads inside one operator (0 = ONNX Runtime's default, all cores).</param>
/// <param name="AllowSpinning">Whether idle intra-op threads spin; off avoids burning a core while the
/// feeding threads decode and resize.</param>
/// <param name="DeviceId">The GPU ordinal for <see cref="ComputeDevice.Cuda"/> (PyTorch's <c>cuda:N</c>).</param>
internal sealed record OnnxSessionSettings(ComputeDevice Device = ComputeDevice.Cpu, int IntraOpThreads = 0,
    bool AllowSpinning = true, int DeviceId = 0);
