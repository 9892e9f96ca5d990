
namespace GenMetrics.Cli;

/// <summary>Where a verb writes: results to <see cref="Out"/>, progress and diagnostics to <see cref="Error"/>.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool quiet)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public bool Quiet { get; } = quiet;

    /// <summary>A progress bar on stderr, or null when <c>--quiet</c> was given.</summary>
    public IProgress<WorkProgress>? CreateProgress()
    {
        if (Quiet) return null;
        var bar = new ConsoleProgressBar(Error);
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

    /// <summary>Writes a warning line to stderr (always, even with --quiet: warnings matter).</summary>
    public void Warn(string message) => Error.WriteLine($"warning: {message}");
}
