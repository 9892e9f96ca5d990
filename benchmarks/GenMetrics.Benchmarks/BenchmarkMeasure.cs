using System.Diagnostics;
using System.Globalization;

namespace GenMetrics.Benchmarks;

/// <summary>Times an action and reports wall time, allocated bytes and the process peak working set.</summary>
internal static class BenchmarkMeasure
{
    public static double Time(TextWriter output, string label, Action action, int repeats = 3)
    {
        var times = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            TimeSpan cpuBefore;
            using (var before = Process.GetCurrentProcess()) cpuBefore = before.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            action();
            sw.Stop();
            double cpu;
            using (var after = Process.GetCurrentProcess()) cpu = (after.TotalProcessorTime - cpuBefore).TotalSeconds;
            long bytes = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            times.Add(sw.Elapsed.TotalSeconds);
            using var process = Process.GetCurrentProcess();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label} run {r + 1}: {sw.Elapsed.TotalSeconds:F3} s wall, {cpu:F3} s CPU (load {LoadAverage()}), allocated {bytes / 1048576.0:F1} MiB, peak working set {process.PeakWorkingSet64 / 1048576.0:F0} MiB"));
        }
        times.Sort();
        double median = times[times.Count / 2];
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label} median: {median:F3} s"));
        return median;
    }

    /// <summary>The 1-minute load average (other processes sharing the cores inflate wall times).</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>Deterministic pseudo-random features in [0, 1) shaped like ReLU pool features (some zeros).</summary>
    public static float[] RandomFeatures(int rows, int columns, int seed)
    {
        var rng = new Random(seed);
        var x = new float[(long)rows * columns];
        for (long i = 0; i < x.Length; i++)
        {
            double v = rng.NextDouble() * 2 - 0.3;
            x[i] = v > 0 ? (float)v : 0f;
        }
        return x;
    }
}
