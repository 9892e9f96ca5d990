using GenMetrics.Cli;

namespace GenMetrics.Tests.Cli;

/// <summary>The progress display: a redrawn bar with rate and ETA on a terminal, plain lines otherwise, no rate before there is one to measure.</summary>
public sealed class ProgressDisplayTests
{
    [Fact]
    public void RedirectedProgressIsPlainLinesWithoutCarriageReturns()
    {
        var writer = new StringWriter();
        var bar = new ConsoleProgressBar(writer, interactive: false);
        bar.Report(new WorkProgress("features set_a", 0, 100));
        for (int done = 16; done < 100; done += 16) bar.Report(new WorkProgress("features set_a", done, 100));
        bar.Report(new WorkProgress("features set_a", 100, 100));
        string text = writer.ToString();
        Assert.DoesNotContain('\r', text);
        string[] lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // The start and the end; the reports between come sooner than the 10 s interval of plain lines.
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("features set_a  0%  0/100", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("features set_a  100%  100/100  0:0", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void TheFirstReportsShowNoRateThenARateAndAnEta()
    {
        var writer = new StringWriter();
        var bar = new ConsoleProgressBar(writer, interactive: true);
        bar.Report(new WorkProgress("lpips alex", 16, 1000)); // the first batch arrives at once: no "16000/s"
        Assert.DoesNotContain("/s", writer.ToString(), StringComparison.Ordinal);
        Thread.Sleep(700);
        bar.Report(new WorkProgress("lpips alex", 48, 1000));
        string last = writer.ToString().Split('\r')[^1];
        Assert.Matches(@"^lpips alex  \[#*\.*\]  48/1000  \d+\.\d/s  ETA \d+:\d\d", last);
        bar.EndLine();
        Assert.EndsWith("\n", writer.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0:00")]
    [InlineData(59.4, "0:59")]
    [InlineData(61, "1:01")]
    [InlineData(3725, "1:02:05")]
    public void ClockReadsMinutesAndSeconds(double seconds, string expected) =>
        Assert.Equal(expected, ConsoleProgressBar.Clock(seconds));

    [Fact]
    public void ACancelledRunStopsAtItsNextReport()
    {
        using var cancelled = new CancellationTokenSource();
        var bar = new ConsoleProgressBar(new StringWriter(), interactive: false, cancelled.Token);
        bar.Report(new WorkProgress("features", 1, 10));
        cancelled.Cancel();
        Assert.Throws<OperationCanceledException>(() => bar.Report(new WorkProgress("features", 2, 10)));
    }
}
