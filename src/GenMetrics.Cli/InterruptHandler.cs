using System.Runtime.InteropServices;
using GenMetrics.Checkpoints;

namespace GenMetrics.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the <c>genmetrics</c> executable: delete the temporary files of outputs being
/// written, print one line, and exit 130 (SIGINT) or 143 (SIGTERM), the shell's 128 + signal number.
/// Installed by <c>Program</c> only, so the in-process <see cref="CliApplication"/> used by tests is unaffected.
/// </summary>
internal static class InterruptHandler
{
    /// <summary>Exit code after SIGINT / Ctrl+C.</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>Exit code after SIGTERM.</summary>
    public const int TerminatedExitCode = 143;

    /// <summary>Registers the handlers; dispose to remove them.</summary>
    public static IDisposable Install()
    {
        var registrations = new List<PosixSignalRegistration>
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, "interrupted", InterruptedExitCode)),
        };
        try
        {
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, "terminated", TerminatedExitCode)));
        }
        catch (PlatformNotSupportedException)
        {
            // Windows has no SIGTERM for console programs; Ctrl+C above is what it sends.
        }
        return new Registrations(registrations);
    }

    private static void Stop(PosixSignalContext context, string what, int exitCode)
    {
        context.Cancel = true;
        TemporaryFiles.DeleteAllAndClose();
        Console.Error.WriteLine();
        Console.Error.WriteLine($"error: {what}; outputs still being written were removed");
        Environment.Exit(exitCode);
    }

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in registrations) r.Dispose();
        }
    }
}
