using System.Diagnostics;
using System.Globalization;
using GenMetrics.Metrics;
using GenMetrics.Numerics;
using GenMetrics.Statistics;

namespace GenMetrics.Benchmarks;

/// <summary>
/// Per-step wall times of FID from two 2048-d full-rank stats files: read (uncompressed and deflated), pivoted
/// Cholesky, the two products W = U·PΣ2Pᵀ and M = W·Uᵀ, tridiagonalisation, QL. Set
/// <c>GENMETRICS_BENCH_STATS_DIR</c> to keep the generated a.npz / b.npz there (for timing the CLI).
/// </summary>
internal sealed class FrechetStepsBenchmark : IBenchmark
{
    public string Name => "frechet-steps";

    public string Description => "FID 2048-d full rank, per step: read, Cholesky, products, tridiagonalisation, QL (median of 3)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        const int d = 2048, n = 4096;
        string? keep = Environment.GetEnvironmentVariable("GENMETRICS_BENCH_STATS_DIR");
        string dir = keep ?? Path.Combine(Path.GetTempPath(), "genmetrics-steps-" + Environment.ProcessId);
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
            int threads = options.Threads;
            var steps = new Dictionary<string, List<double>>();
            for (int run = 0; run < 3; run++)
            {
                var sw = Stopwatch.StartNew();
                var a = StatsFile.Read(pathA, includeSums: false);
                var b = StatsFile.Read(pathB, includeSums: false);
                Lap(steps, "read 2 stats files", sw);
                var s1 = a.Covariance.ToArray();
                var factor = PivotedCholesky.Decompose(s1, d, threads);
                Lap(steps, "pivoted Cholesky", sw);
                int r = factor.Rank;
                var perm = factor.Permutation;
                var s2 = new double[(long)d * d];
                for (int i = 0; i < d; i++)
                {
                    for (int j = 0; j < d; j++) s2[(long)i * d + j] = b.Covariance[perm[i] * d + perm[j]];
                }
                var w = new double[(long)r * d];
                MatrixProduct.MultiplyAdd(factor.U, 0, d, false, s2, 0, d, false, w, 0, d, r, d, d, maxThreads: threads,
                    structure: MatrixProduct.TriangularStructure.AUpper);
                var m = new double[(long)r * r];
                MatrixProduct.MultiplyAdd(w, 0, d, false, factor.U, 0, d, true, m, 0, r, r, r, d, upperOnly: true, maxThreads: threads,
                    structure: MatrixProduct.TriangularStructure.BLower);
                Lap(steps, "permute + products U·Σ2·Uᵀ", sw);
                var diag = new double[r];
                var off = new double[r];
                SymmetricEigenvalues.Tridiagonalize(m, r, diag, off, threads);
                Lap(steps, "tridiagonalisation", sw);
                SymmetricEigenvalues.TridiagonalQl(diag, off);
                Lap(steps, "QL", sw);
                double whole = FrechetDistance.Compute(a.Mean, a.Covariance, b.Mean, b.Covariance, threads).Value;
                Lap(steps, "FrechetDistance.Compute (all of the above but reading)", sw);
                if (run == 0) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FID = {whole:R}"));
            }
            foreach (var (label, times) in steps)
            {
                times.Sort();
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {times[1]:F3} s (median of 3)"));
            }
        }
        finally
        {
            if (keep is null) Directory.Delete(dir, recursive: true);
        }
    }

    private static void Lap(Dictionary<string, List<double>> steps, string label, Stopwatch sw)
    {
        if (!steps.TryGetValue(label, out var list)) steps[label] = list = [];
        list.Add(sw.Elapsed.TotalSeconds);
        sw.Restart();
    }
}
