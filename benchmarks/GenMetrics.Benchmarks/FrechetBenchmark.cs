using GenMetrics.Metrics;
using GenMetrics.Statistics;

namespace GenMetrics.Benchmarks;

/// <summary>FID from two 2048-d stats files (read both .npz + Fréchet distance); reference: scipy sqrtm 80+ s here.</summary>
internal sealed class FrechetBenchmark : IBenchmark
{
    public string Name => "frechet";

    public string Description => "FID from two 2048-d full-rank stats files, including reading them (pytorch-fid sqrtm: 85.5 s here)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        const int d = 2048, n = 4096;
        string dir = Path.Combine(Path.GetTempPath(), "genmetrics-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            string pathA = Path.Combine(dir, "a.npz"), pathB = Path.Combine(dir, "b.npz");
            for (int s = 0; s < 2; s++)
            {
                var acc = new FeatureStatistics(d);
                acc.Add(BenchmarkMeasure.RandomFeatures(n, d, 17 + s));
                StatsFile.Write(s == 0 ? pathA : pathB, GaussianStatistics.From(acc, new StatsProvenance("pytorch-fid", "bench", "2048")));
            }
            double fid = 0;
            BenchmarkMeasure.Time(output, "read 2 stats files + FID 2048", () =>
            {
                var a = StatsFile.Read(pathA, includeSums: false);
                var b = StatsFile.Read(pathB, includeSums: false);
                fid = FrechetDistance.Compute(a.Mean, a.Covariance, b.Mean, b.Covariance, options.Threads).Value;
            });
            output.WriteLine($"FID = {fid}");

            // pytorch-fid's own --save-stats format: np.savez_compressed(mu=, sigma=) (deflated, no sums).
            foreach (string path in new[] { pathA, pathB })
            {
                var s = StatsFile.Read(path, includeSums: false);
                GenMetrics.Checkpoints.NpzFile.Write(path + ".pf.npz",
                [
                    new("mu", GenMetrics.Checkpoints.NpyArray.FromFloat64(s.Mean, d)),
                    new("sigma", GenMetrics.Checkpoints.NpyArray.FromFloat64(s.Covariance, d, d)),
                ], compress: true);
            }
            BenchmarkMeasure.Time(output, "read 2 pytorch-fid (compressed) stats files + FID 2048", () =>
            {
                var a = StatsFile.Read(pathA + ".pf.npz", includeSums: false);
                var b = StatsFile.Read(pathB + ".pf.npz", includeSums: false);
                fid = FrechetDistance.Compute(a.Mean, a.Covariance, b.Mean, b.Covariance, options.Threads).Value;
            });
            output.WriteLine($"FID = {fid}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
