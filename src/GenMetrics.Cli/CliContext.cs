
namespace GenMetrics.Cli;

/// <summary>
/// Where a verb writes: results to <see cref="Out"/>, progress and diagnostics to <see cref="Error"/>; and the
/// <see cref="CancellationToken"/> of the run (Ctrl+C, SIGTERM), which every progress report also checks.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool quiet, CancellationToken cancellationToken = default)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public bool Quiet { get; } = quiet;

    /// <summary>Cancelled when the run is interrupted; a verb's loops stop at their next progress report.</summary>
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>
    /// Whether stderr is a terminal: a redrawn progress bar there; otherwise (a file, a pipe, a test) occasional
    /// plain lines and no carriage returns.
    /// </summary>
    public bool InteractiveError { get; } = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;

    /// <summary>
    /// A progress display on stderr (null with <c>--quiet</c>, but cancellation is still checked at each report).
    /// </summary>
    public IProgress<WorkProgress>? CreateProgress()
    {
        if (Quiet) return CancellationToken.CanBeCanceled ? new CancellationCheck(CancellationToken) : null;
        var bar = new ConsoleProgressBar(Error, InteractiveError, CancellationToken);
        lock (_bars) _bars.Add(bar);
        return bar;
    }

    /// <summary>Ends every progress line left open, so an error or warning that follows is a line of its own.</summary>
    public void EndProgressLines()
    {
        lock (_bars)
        {
            foreach (var bar in _bars) bar.EndLine();
        }
    }

    private readonly List<ConsoleProgressBar> _bars = [];

    /// <summary>Writes a warning line to stderr (always, even with --quiet: warnings matter), after any open progress line.</summary>
    public void Warn(string message)
    {
        EndProgressLines();
        Error.WriteLine($"warning: {message}");
    }

    /// <summary>Progress that displays nothing and only stops a cancelled run.</summary>
    private sealed class CancellationCheck(CancellationToken token) : IProgress<WorkProgress>
    {
        public void Report(WorkProgress value) => token.ThrowIfCancellationRequested();
    }
}
