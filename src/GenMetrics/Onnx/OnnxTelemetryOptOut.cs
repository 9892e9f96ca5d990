using System.Runtime.InteropServices;

namespace GenMetrics.Onnx;

/// <summary>
/// Turns ONNX Runtime's telemetry off before its environment exists. Since 1.29 the Linux and macOS builds
/// create, when the environment is created, a device id and an event queue under
/// <c>~/.cache/Microsoft/DeveloperTools/.onnxruntime/</c> and upload events (and print a coloured warning when they
/// cannot write there); <c>DisableTelemetryEvents</c> only acts after that. <c>ORT_DISABLE_TELEMETRY=1</c>, read by
/// the native library when the environment is created, prevents all of it (no uploader, device id or cache).
/// </summary>
/// <remarks>
/// On Unix .NET keeps its own copy of the environment, which native code never sees, so the variable is set with
/// libc's <c>setenv</c>. That happens once, before the first ONNX Runtime environment, while no other native code
/// of this process is reading the environment.
/// </remarks>
internal static partial class OnnxTelemetryOptOut
{
    /// <summary>The variable ONNX Runtime reads.</summary>
    public const string Variable = "ORT_DISABLE_TELEMETRY";

    /// <summary>Sets <see cref="Variable"/> to 1 for this process, in the managed and the native environment.</summary>
    public static void Apply()
    {
        Environment.SetEnvironmentVariable(Variable, "1");
        if (!OperatingSystem.IsWindows() && SetNativeVariable(Variable, "1", 1) != 0)
        {
            throw new GenMetricsException($"cannot set {Variable} for ONNX Runtime (setenv failed: errno {Marshal.GetLastPInvokeError()})");
        }
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int SetNativeVariable(string name, string value, int overwrite);
}
