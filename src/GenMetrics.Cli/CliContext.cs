
namespace GenMetrics.Cli;

/// <summary>Where a verb writes: results to <see cref="Out"/>, progress and diagnostics to <see cref="Error"/>.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool quiet)
{
    public TextWriter Out { get; } = output;
    public TextWriter Error { get; } = error;
    public bool Quiet { get; } = quiet;

    /// <summary>A progress bar on stderr, or null when <c>--quiet</c> was given.</summary>
    public IProgress<WorkProgress>? CreateProgress() => Quiet ? null : new ConsoleProgressBar(Error);

    /// <summary>Writes a warning line to stderr (always, even with --quiet: warnings matter).</summary>
    public void Warn(string message) => Error.WriteLine($"warning: {message}");
}
