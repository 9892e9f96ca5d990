using System.Diagnostics;
using System.Globalization;

namespace GenMetrics.Cli;

/// <summary>
/// A one-line progress bar on stderr (<c>stage  [#####.....]  120/500  35.2/s</c>), redrawn at most ten times a
/// second and finished with a newline when the stage completes.
/// </summary>
internal sealed class ConsoleProgressBar(TextWriter writer) : IProgress<WorkProgress>
{
    private const int Width = 30;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _lock = new();
    private long _lastDrawMs = -1000;
    private string? _stage;
    private long _stageStartMs;
    private bool _lineOpen;

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
        lock (_lock)
        {
            long now = _clock.ElapsedMilliseconds;
            if (value.Stage != _stage)
            {
                _stage = value.Stage;
                _stageStartMs = now;
            }
            bool finished = value.Total > 0 && value.Done >= value.Total;
            if (!finished && now - _lastDrawMs < 100) return;
            _lastDrawMs = now;
            double seconds = Math.Max(1e-3, (now - _stageStartMs) / 1000.0);
            string rate = (value.Done / seconds).ToString("0.0", CultureInfo.InvariantCulture);
            string line;
            if (value.Total > 0)
            {
                int filled = (int)Math.Min(Width, Width * value.Done / value.Total);
                line = $"\r{value.Stage}  [{new string('#', filled)}{new string('.', Width - filled)}]  {value.Done}/{value.Total}  {rate}/s";
            }
            else
            {
                line = $"\r{value.Stage}  {value.Done}  {rate}/s";
            }
            writer.Write(line);
            if (finished) writer.WriteLine();
            _lineOpen = !finished;
            writer.Flush();
        }
    }
}
