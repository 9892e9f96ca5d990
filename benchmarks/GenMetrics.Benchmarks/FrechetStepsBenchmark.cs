using System.Diagnostics;
using System.Globalization;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Numerics;
using GenMetrics.Statistics;

namespace GenMetrics.Benchmarks;

/// <summary>
/// Per-step wall and CPU times of FID from two 2048-d full-rank stats files: read and inflate (GenMetrics' stored
/// files with sums, and pytorch-fid's deflated mu/sigma files), validation of each sigma (symmetric, positive
/// semi-definite through its pivoted Cholesky factor, which FID reuses for Σ1), the permuted Σ2 with the products
/// W = U·PΣ2Pᵀ and M = W·Uᵀ,
/// tridiagonalisation, QL. Set <c>GENMETRICS_BENCH_STATS_DIR</c> to keep the four files there (a.npz, b.npz and the
/// pytorch-fid style a.pf.npz, b.pf.npz) for timing the CLI (<c>benchmarks/fid-process.sh</c>).
/// </summary>
internal sealed class FrechetStepsBenchmark : IBenchmark
{
    private const int Repeats = 5;

    public string Name => "frechet-steps";

    public string Description => "FID 2048-d full rank, per step: read + inflate, validation with pivoted Cholesky, products, tridiagonalisation, QL (median of 5)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        const int d = 2048, n = 4096;
        string? keep = Environment.GetEnvironmentVariable("GENMETRICS_BENCH_STATS_DIR");
        string dir = keep ?? Path.Combine(Path.GetTempPath(), "genmetrics-steps-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        try
        {
            string[] stored = [Path.Combine(dir, "a.npz"), Path.Combine(dir, "b.npz")];
            string[] deflated = [Path.Combine(dir, "a.pf.npz"), Path.Combine(dir, "b.pf.npz")];
            for (int s = 0; s < 2; s++)
            {
                var acc = new FeatureStatistics(d);
                acc.Add(BenchmarkMeasure.RandomFeatures(n, d, 17 + s));
                var stats = GaussianStatistics.From(acc, new StatsProvenance("pytorch-fid", "bench", "2048"));
                // GenMetrics' stats file stored uncompressed with the sums (numpy savez), format version 2 with --uncompressed --sums.
                StatsFile.Write(stored[s], stats, new StatsFileOptions { Compress = false, IncludeSums = true });
                // pytorch-fid's own --save-stats format: np.savez_compressed(mu=, sigma=) (deflated, no sums).
                NpzFile.Write(deflated[s],
                [
                    new("mu", NpyArray.FromFloat64(stats.Mean, d)),
                    new("sigma", NpyArray.FromFloat64(stats.Covariance, d, d)),
                ], compress: true);
            }
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"files: {new FileInfo(stored[0]).Length / 1048576.0:F1} MiB stored (with sums), {new FileInfo(deflated[0]).Length / 1048576.0:F1} MiB deflated (mu, sigma); {options.Threads} thread(s), load {BenchmarkMeasure.LoadAverage()}"));
            int threads = options.Threads;
            var steps = new StepTimes();
            for (int run = 0; run < Repeats; run++)
            {
                steps.Start();
                double[] sigmaA = ReadSigma(stored[0]), sigmaB = ReadSigma(stored[1]);
                steps.Lap("read + inflate 2 stored files (64 MiB each)");
                ReadSigma(deflated[0]);
                ReadSigma(deflated[1]);
                steps.Lap("read + inflate 2 deflated pytorch-fid files");
                var factor = StatsFile.CheckCovarianceKeepingFactor(sigmaA, d, stored[0]);
                steps.Lap("validation of sigma 1: symmetry + pivoted Cholesky (the factor FID uses)");
                StatsFile.CheckCovarianceKeepingFactor(sigmaB, d, stored[1]);
                steps.Lap("validation of sigma 2: symmetry + pivoted Cholesky");
                int r = factor.Rank;
                if (r != d) throw new InvalidOperationException($"benchmark statistics should have full rank {d}, got {r}");
                // As FrechetDistance at full rank: Σ2 read in the permuted order while packed, M = W·Uᵀ replacing W.
                var m = new double[(long)d * d];
                MatrixProduct.MultiplyAdd(factor.U, 0, d, false, sigmaB, 0, d, false, m, 0, d, d, d, d, maxThreads: threads,
                    structure: MatrixProduct.TriangularStructure.AUpper, bPermutation: factor.Permutation);
                MatrixProduct.MultiplyAdd(m, 0, d, false, factor.U, 0, d, true, m, 0, d, d, d, d, upperOnly: true, maxThreads: threads,
                    structure: MatrixProduct.TriangularStructure.BLower, cReplacesA: true);
                steps.Lap("products W = U·PΣ2Pᵀ (permuted while packed), M = W·Uᵀ (in place)");
                var diag = new double[r];
                var off = new double[r];
                SymmetricEigenvalues.Tridiagonalize(m, r, diag, off, threads);
                steps.Lap("tridiagonalisation");
                SymmetricEigenvalues.TridiagonalQl(diag, off);
                steps.Lap("QL");
                var a = StatsFile.Read(stored[0], includeSums: false, keepFactor: true, out var factorA);
                var b = StatsFile.Read(stored[1], includeSums: false, keepFactor: true, out _);
                steps.Lap("StatsFile.Read x2 one after the other (read + validation with factor)");
                double whole = Fid.Compute(a, b, GenMetrics.Features.KnownProtocols.PytorchFid, threads, factorA).Value;
                steps.Lap("Fid.Compute with sigma 1's factor (permute .. QL together)");
                if (run == 0) output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FID = {whole:R}"));
            }
            steps.Report(output);
        }
        finally
        {
            if (keep is null) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Reads only sigma of a stats file into float64 (the read + inflate step, no validation).</summary>
    private static double[] ReadSigma(string path)
    {
        double[]? sigma = null;
        NpzFile.ReadEach(path, key => key == "sigma", (key, stream, name) => sigma = NpyFile.ReadFloat64(stream, name, out int[] _));
        return sigma ?? throw new InvalidOperationException($"{path} has no sigma");
    }

    /// <summary>Wall and CPU seconds per labelled step, over repeated runs; reports the median of each.</summary>
    private sealed class StepTimes
    {
        private readonly Dictionary<string, (List<double> Wall, List<double> Cpu)> _steps = [];
        private readonly Stopwatch _clock = new();
        private TimeSpan _cpu;

        public void Start()
        {
            _cpu = CpuTime();
            _clock.Restart();
        }

        public void Lap(string label)
        {
            double wall = _clock.Elapsed.TotalSeconds;
            TimeSpan cpu = CpuTime();
            if (!_steps.TryGetValue(label, out var lists)) _steps[label] = lists = ([], []);
            lists.Wall.Add(wall);
            lists.Cpu.Add((cpu - _cpu).TotalSeconds);
            _cpu = cpu;
            _clock.Restart();
        }

        public void Report(TextWriter output)
        {
            foreach (var (label, (wall, cpu)) in _steps)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label}: {Median(wall):F3} s wall, {Median(cpu):F3} s CPU (median of {wall.Count}; wall min {wall.Min():F3} s)"));
            }
        }

        private static double Median(List<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted[sorted.Count / 2];
        }

        private static TimeSpan CpuTime()
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime;
        }
    }
}
