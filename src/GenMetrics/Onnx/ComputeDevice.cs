namespace GenMetrics;

/// <summary>Where networks run: the ONNX Runtime execution provider.</summary>
public enum ComputeDevice
{
    /// <summary>The CPU execution provider (always present; the default).</summary>
    Cpu,

    /// <summary>
    /// The CUDA execution provider. Needs an ONNX Runtime build with CUDA (the
    /// Microsoft.ML.OnnxRuntime.Gpu package); otherwise session creation fails with a clear message.
    /// </summary>
    Cuda,
}
