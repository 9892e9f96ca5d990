using System.Text;
using System.Text.Json;
using GenMetrics.Checkpoints;

namespace GenMetrics.Cli;

/// <summary>
/// Where a verb writes: results to <see cref="Out"/> (and <see cref="ResultPath"/>), progress and diagnostics to
/// <see cref="Error"/>; and the <see cref="CancellationToken"/> of the run (Ctrl+C, SIGTERM), which every progress
/// report also checks.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool quiet, CancellationToken cancellationToken = default)
{
    private readonly string? _resultPath;

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

    /// <summary>Whether the result is printed as JSON (<c>--json</c>) rather than as text.</summary>
    public bool Json { get; init; }

    /// <summary>
    /// <c>-o/--output FILE</c>: the JSON result is also written there, atomically, whether or not <see cref="Json"/>
    /// is set. Checked when set (an existing folder, a replaceable file), so a bad path fails before the work.
    /// </summary>
    /// <exception cref="GenMetricsException">The path cannot be written.</exception>
    public string? ResultPath
    {
        get => _resultPath;
        init
        {
            if (value is not null) FileKindPolicy.RequireWritableOutput(value);
            _resultPath = value;
        }
    }

    /// <summary>
    /// Writes a verb's result: the JSON object (the envelope <c>command</c> and <c>genmetrics_version</c>, then what
    /// <paramref name="json"/> writes) to <see cref="ResultPath"/> when set and to <see cref="Out"/> when <see cref="Json"/>;
    /// otherwise <paramref name="text"/> prints the human form.
    /// </summary>
    public void WriteResult(string command, Action<Utf8JsonWriter> json, Action<TextWriter> text)
    {
        byte[]? rendered = Json || ResultPath is not null
            ? JsonOutput.Render(w =>
            {
                w.WriteString("command", command);
                w.WriteString("genmetrics_version", CliApplication.Version);
                json(w);
            })
            : null;
        if (ResultPath is not null)
        {
            AtomicFileWriter.Write(ResultPath, stream =>
            {
                stream.Write(rendered);
                stream.WriteByte((byte)'\n');
            });
        }
        if (Json) Out.WriteLine(Encoding.UTF8.GetString(rendered!));
        else text(Out);
        Out.Flush();
    }

    /// <summary>
    /// A progress display on stderr (with <c>--quiet</c> none, but cancellation is still checked at each report).
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
