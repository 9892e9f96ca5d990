using System.Diagnostics;
using System.Globalization;

namespace GenMetrics.Cli;

/// <summary>
/// Progress on stderr. On a terminal: one line redrawn at most ten times a second
/// (<c>stage  [#####.....]  120/500  35.2/s  ETA 0:11</c>), finished with a newline when the stage completes.
/// Redirected (a log file, a pipe): no carriage returns, one plain line when a stage starts, at most one every
/// <see cref="PlainLineInterval"/>, and one when it ends. Rates and ETAs are measured from a stage's first report,
/// and shown only once half a second of work has been seen. Each report also stops a cancelled run.
/// </summary>
internal sealed class ConsoleProgressBar(TextWriter writer, bool interactive, CancellationToken cancellationToken = default) : IProgress<WorkProgress>
{
    /// <summary>Least time between two plain progress lines when stderr is not a terminal.</summary>
    public static readonly TimeSpan PlainLineInterval = TimeSpan.FromSeconds(10);

    private const int Width = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _lock = new();
    private long _lastDrawMs = long.MinValue / 2;
    private string? _stage;
    private long _stageStartMs;
    private long _stageStartDone;
    private bool _lineOpen;
    private int _lastWidth;

    /// <summary>Ends a progress line left open (a stage that stopped before finishing), so what follows starts a line.</summary>
    public void EndLine()
    {
        lock (_lock)
        {
            if (!_lineOpen) return;
            writer.WriteLine();
            writer.Flush();
            _lineOpen = false;
        }
    }

    public void Report(WorkProgress value)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            long now = _clock.ElapsedMilliseconds;
            bool started = value.Stage != _stage;
            if (started)
            {
                if (_lineOpen) EndLineLocked();
                _stage = value.Stage;
                _stageStartMs = now;
                _stageStartDone = value.Done;
            }
            bool finished = value.Total > 0 && value.Done >= value.Total;
            long interval = interactive ? 100 : (long)PlainLineInterval.TotalMilliseconds;
            if (!started && !finished && now - _lastDrawMs < interval) return;
            _lastDrawMs = now;
            string text = Describe(value, (now - _stageStartMs) / 1000.0, finished);
            if (interactive)
            {
                writer.Write('\r' + text.PadRight(_lastWidth));
                _lastWidth = text.Length;
                if (finished) writer.WriteLine();
                _lineOpen = !finished;
            }
            else
            {
                writer.WriteLine(text);
            }
            writer.Flush();
        }
    }

    private void EndLineLocked()
    {
        writer.WriteLine();
        _lineOpen = false;
        _lastWidth = 0;
    }

    private string Describe(WorkProgress value, double seconds, bool finished)
    {
        var c = CultureInfo.InvariantCulture;
        long done = value.Done - _stageStartDone;
        bool measured = seconds >= 0.5 && done > 0;
        double rate = measured ? done / seconds : 0;
        string rateText = measured ? string.Create(c, $"  {rate:0.0}/s") : "";
        if (value.Total <= 0) return string.Create(c, $"{value.Stage}  {value.Done}{rateText}");
        if (finished) return string.Create(c, $"{value.Stage}  {Bar(value)}{value.Done}/{value.Total}  {Clock(seconds)}{rateText}");
        string eta = measured ? "  ETA " + Clock((value.Total - value.Done) / rate) : "";
        return string.Create(c, $"{value.Stage}  {Bar(value)}{value.Done}/{value.Total}{rateText}{eta}");
    }

    private string Bar(WorkProgress value)
    {
        if (!interactive) return string.Create(CultureInfo.InvariantCulture, $"{100.0 * value.Done / value.Total:0}%  ");
        int filled = (int)Math.Min(Width, Width * value.Done / value.Total);
        return $"[{new string('#', filled)}{new string('.', Width - filled)}]  ";
    }

    /// <summary>m:ss, or h:mm:ss from an hour.</summary>
    internal static string Clock(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return t.TotalHours >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalHours}:{t.Minutes:00}:{t.Seconds:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)t.TotalMinutes}:{t.Seconds:00}");
    }
}
