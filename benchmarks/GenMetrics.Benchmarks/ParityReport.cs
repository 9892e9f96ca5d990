using System.Globalization;
using System.Text.Json;
using GenMetrics.Evaluation;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Numerics;
using GenMetrics.Statistics;

namespace GenMetrics.Benchmarks;

/// <summary>Not a timing: prints every distribution-metric value next to its golden with the residual (for docs/metrics.md).</summary>
internal sealed class ParityReport : IBenchmark
{
    public string Name => "parity";

    public string Description => "residuals of FID/IS/KID against the goldens (from the golden features)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        string root = options.FixturesRoot;
        string G(params string[] p) => Path.Combine([root, "golden", .. p]);
        var frechet = JsonDocument.Parse(File.ReadAllText(G("frechet", "frechet.json"))).RootElement.GetProperty("cases");
        var fid = JsonDocument.Parse(File.ReadAllText(G("fid", "fid.json"))).RootElement;
        var tf = JsonDocument.Parse(File.ReadAllText(G("fid_tf", "fid_tf.json"))).RootElement;
        void Line(string what, double expected, double actual) => output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what,-44} golden {expected,22:R}  ours {actual,22:R}  abs {Math.Abs(actual - expected):E2}  rel {Math.Abs(actual - expected) / Math.Abs(expected):E2}"));
        GaussianStatistics Stats(string path)
        {
            var a = NpyFile.Read(path);
            var acc = new FeatureStatistics(a.Shape[1]);
            acc.Add(a.ToFloat64());
            return GaussianStatistics.From(acc, StatsProvenance.Unknown);
        }
        var sa = Stats(G("fid", "features_set_a_d2048.npy"));
        var sb = Stats(G("fid", "features_set_b_d2048.npy"));
        Line("frechet a_set_stats_d2048", frechet.GetProperty("a_set_stats_d2048").GetProperty("pytorch_fid").GetProperty("value").GetDouble(),
            FrechetDistance.Compute(sa.Mean, sa.Covariance, sb.Mean, sb.Covariance).Value);
        Line("frechet a2_set_a_vs_itself_d2048", frechet.GetProperty("a2_set_a_vs_itself_d2048").GetProperty("pytorch_fid").GetProperty("value").GetDouble(),
            FrechetDistance.Compute(sa.Mean, sa.Covariance, sa.Mean, sa.Covariance).Value);
        foreach (string c in new[] { "b_synthetic_full_rank_d2048", "c_synthetic_rank_deficient_d2048" })
        {
            var z = NpzFile.Read(G("frechet", c + "_samples.npz"));
            var (m1, s1) = Synthetic(z["Y1"], z["m1"]);
            var (m2, s2) = Synthetic(z["Y2"], z["m2"]);
            var r = FrechetDistance.Compute(m1, s1, m2, s2);
            Line($"frechet {c} (rank {r.Rank})", frechet.GetProperty(c).GetProperty("pytorch_fid").GetProperty("value").GetDouble(), r.Value);
        }
        var d1 = StatsFile.Read(G("frechet", "d_eps_fallback_d64_stats1.npz"));
        var d2 = StatsFile.Read(G("frechet", "d_eps_fallback_d64_stats2.npz"));
        var rd = FrechetDistance.Compute(d1.Mean, d1.Covariance, d2.Mean, d2.Covariance);
        Line($"frechet d_eps_fallback_d64 ({rd.Safeguard})", frechet.GetProperty("d_eps_fallback_d64").GetProperty("pytorch_fid").GetProperty("value").GetDouble(), rd.Value);
        int dead1 = 0, dead2 = 0, both = 0;
        for (int i = 0; i < 64; i++)
        {
            bool z1 = d1.Covariance[i * 64 + i] == 0, z2 = d2.Covariance[i * 64 + i] == 0;
            if (z1 && z2) both++;
            else if (z1) dead1++;
            else if (z2) dead2++;
        }
        output.WriteLine($"  d_eps: zero-variance dims: set1 only {dead1}, set2 only {dead2}, both {both}");
        foreach (int dims in new[] { 64, 192, 768 })
        {
            var a = Stats(G("fid", $"features_set_a_d{dims}.npy"));
            var b = Stats(G("fid", $"features_set_b_d{dims}.npy"));
            Line($"fid d{dims}", fid.GetProperty("fid_set_a_vs_set_b").GetProperty($"d{dims}").GetDouble(), FrechetDistance.Compute(a.Mean, a.Covariance, b.Mean, b.Covariance).Value);
        }
        var real = MetricInput.Load(G("fid_tf", "features_set_a_2048.npy"));
        var fake = MetricInput.Load(G("fid_tf", "features_set_b_2048.npy"));
        var res = DistributionEvaluation.Evaluate(real, fake, DistributionMetrics.Fid | DistributionMetrics.Kid,
            new EvaluationOptions { Protocol = GenMetrics.Features.KnownProtocols.TorchFidelity, SubsetSize = 32 });
        var result = tf.GetProperty("metrics").GetProperty("all_default_k3").GetProperty("result");
        Line("torch-fidelity FID (float32 mu)", result.GetProperty("frechet_inception_distance").GetDouble(), res.Fid!.Value);
        Line("torch-fidelity KID mean (100 x 32)", result.GetProperty("kernel_inception_distance_mean").GetDouble(), res.Kid!.Mean);
        Line("torch-fidelity KID std", result.GetProperty("kernel_inception_distance_std").GetDouble(), res.Kid.Std);
        var full = Kid.Compute(fake.Features!, real.Features!, 2048, 1, 64);
        Line("torch-fidelity KID full set", tf.GetProperty("metrics").GetProperty("kid_deterministic_full_set").GetProperty("result").GetProperty("kernel_inception_distance_mean").GetDouble(), full.Mean);
        var logits = NpyFile.Read(G("fid_tf", "features_set_b_logits_unbiased.npy"));
        var isc = InceptionScore.Compute(logits.ToFloat32(), 1008);
        Line("torch-fidelity IS mean set_b", result.GetProperty("inception_score_mean").GetDouble(), isc.Mean);
        Line("torch-fidelity IS std set_b", result.GetProperty("inception_score_std").GetDouble(), isc.Std);
    }

    private static (double[] Mu, double[] Sigma) Synthetic(NpyArray y, NpyArray m)
    {
        int half = y.Shape[0], d = y.Shape[1];
        var v = y.ToFloat64();
        var g = new double[d * d];
        MatrixProduct.MultiplyAdd(v, 0, d, true, v, 0, d, false, g, 0, d, d, d, half);
        double scale = 1.0 / (2 * half - 1);
        for (int i = 0; i < g.Length; i++) g[i] = 2 * g[i] * scale;
        return (m.ToFloat64(), g);
    }
}
