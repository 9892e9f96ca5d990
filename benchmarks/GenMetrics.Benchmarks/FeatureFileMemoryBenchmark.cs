using System.Globalization;
using GenMetrics.Checkpoints;

namespace GenMetrics.Benchmarks;

/// <summary>
/// Whole <c>genmetrics kid</c> and <c>genmetrics prdc</c> processes on two float32 N×2048 <c>.npy</c> feature files
/// (N from <c>GENMETRICS_BENCH_ROWS</c>, default 10000; seeded uniform values), timed with <c>/usr/bin/time</c> for
/// wall clock and peak RSS: the features stay float32 (2 × N × 8 KB), read straight from the files.
/// </summary>
internal sealed class FeatureFileMemoryBenchmark : IBenchmark
{
    public string Name => "feature-files";

    public string Description => "whole 'kid' and 'prdc' processes on two float32 N x 2048 .npy files: wall, peak RSS";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        int n = int.Parse(Environment.GetEnvironmentVariable("GENMETRICS_BENCH_ROWS") ?? "10000", CultureInfo.InvariantCulture);
        const int d = 2048;
        string cli = TimedCliProcess.CliPath();
        string folder = Directory.CreateTempSubdirectory("genmetrics-feature-files-").FullName;
        try
        {
            string real = Path.Combine(folder, "real.npy"), fake = Path.Combine(folder, "fake.npy");
            Write(real, n, d, seed: 1, shift: 0);
            Write(fake, n, d, seed: 2, shift: 0.01f);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"two {n} x {d} float32 files, {2.0 * n * d * 4 / 1e6:F0} MB together"));
            foreach (string verb in new[] { "kid", "prdc" })
            {
                var (wall, peakKb, stdout) = TimedCliProcess.Run(cli, [verb, real, fake, "--quiet"], options.Threads);
                string result = stdout.Split('\n').FirstOrDefault(l => l.Length > 0)?.Trim() ?? "";
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{verb}: {wall:F2} s wall, peak RSS {peakKb / 1024.0:F0} MB; {result}"));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void Write(string path, int n, int d, int seed, float shift)
    {
        var rng = new Random(seed);
        var values = new float[(long)n * d];
        for (long i = 0; i < values.LongLength; i++) values[i] = (float)rng.NextDouble() + shift;
        NpyFile.Write(path, NpyArray.FromFloat32(values, n, d));
    }
}
