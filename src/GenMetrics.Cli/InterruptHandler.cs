using System.Runtime.InteropServices;
using GenMetrics.Checkpoints;

namespace GenMetrics.Cli;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM for the <c>genmetrics</c> executable: the first signal cancels
/// <see cref="Token"/>, so the running verb stops at its next batch, removes what it was writing, prints one line
/// and exits 130 (SIGINT) or 143 (SIGTERM), the shell's 128 + signal number. A run that has not stopped
/// <see cref="Grace"/> after the signal (a long native call) is ended the same way from here.
/// Installed by <c>Program</c> only, so the in-process <see cref="CliApplication"/> used by tests is unaffected.
/// </summary>
internal static class InterruptHandler
{
    /// <summary>Exit code after SIGINT / Ctrl+C.</summary>
    public const int InterruptedExitCode = 130;

    /// <summary>Exit code after SIGTERM.</summary>
    public const int TerminatedExitCode = 143;

    /// <summary>How long a cancelled run may take to stop by itself.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(1);

    private static readonly CancellationTokenSource Source = new();
    private static int _signalled;

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public static CancellationToken Token => Source.Token;

    /// <summary>The exit code of a cancelled run: 130, or 143 after SIGTERM.</summary>
    public static int ExitCode { get; private set; } = InterruptedExitCode;

    /// <summary>"interrupted" or "terminated", for the one error line.</summary>
    public static string Reason { get; private set; } = "interrupted";

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
        if (Interlocked.Exchange(ref _signalled, 1) == 1) return;
        Reason = what;
        ExitCode = exitCode;
        Source.Cancel();
        var watchdog = new Thread(() =>
        {
            Thread.Sleep(Grace);
            TemporaryFiles.DeleteAllAndClose();
            Console.Error.WriteLine();
            Console.Error.WriteLine($"error: {what}; outputs still being written were removed");
            Environment.Exit(exitCode);
        })
        { IsBackground = true, Name = "genmetrics interrupt watchdog" };
        watchdog.Start();
    }

    private sealed class Registrations(List<PosixSignalRegistration> registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in registrations) r.Dispose();
        }
    }
}
