using GenMetrics.Evaluation;
using GenMetrics.Features;
using GenMetrics.Metrics;
using GenMetrics.Tests.Metrics;
using FeatureMatrix = GenMetrics.Tests.Metrics.FeatureMatrix;

namespace GenMetrics.Tests.Evaluation;

/// <summary>The stateful evaluator against the goldens, fed with torch-fidelity feature rows (no network).</summary>
public sealed class DistributionEvaluatorConformanceTests
{
    private static readonly string[] Tf = ["golden", "fid_tf", "fid_tf.json"];

    private static float[] Rows(string file)
    {
        var (values, _, _) = FeatureMatrix.Load("golden", "fid_tf", file);
        return Array.ConvertAll(values, v => (float)v);
    }

    private static DistributionEvaluatorOptions Options() => new()
    {
        SubsetSize = (int)GoldenJson.Number(Tf, "metrics", "all_default_k3", "kwargs_resolved", "kid_subset_size"),
    };

    private static DistributionEvaluator New() =>
        new(KnownProtocols.TorchFidelity, null, DistributionMetrics.Fid | DistributionMetrics.InceptionScore | DistributionMetrics.Kid | DistributionMetrics.Prdc, Options());

    private static EvaluationResult Feed(int shardRows, bool merge)
    {
        float[] real = Rows("features_set_a_2048.npy");
        float[] fake = Rows("features_set_b_2048.npy");
        float[] logits = Rows("features_set_b_logits_unbiased.npy");
        using var whole = New();
        var shards = new List<DistributionEvaluator>();
        try
        {
            for (int r = 0; r * 2048 < real.Length; r += shardRows)
            {
                var target = whole;
                if (merge)
                {
                    target = New();
                    shards.Add(target);
                }
                int n = Math.Min(shardRows, real.Length / 2048 - r);
                target.UpdateRealFeatures(real.AsSpan(r * 2048, n * 2048));
                int nf = Math.Max(0, Math.Min(shardRows, fake.Length / 2048 - r));
                target.UpdateFakeFeatures(fake.AsSpan(r * 2048, nf * 2048));
                target.UpdateFakeLogits(logits.AsSpan(r * 1008, nf * 1008));
            }
            foreach (var shard in shards) whole.Merge(shard);
            return whole.Compute();
        }
        finally
        {
            foreach (var shard in shards) shard.Dispose();
        }
    }

    private static void AssertGoldens(EvaluationResult r)
    {
        // Same tiers as DistributionCommandTests: FID 1e-3 abs; IS 1e-10 rel; KID 1e-6 abs; P/R/density exact.
        Tolerance.Close(GoldenJson.Number(Tf, "metrics", "all_default_k3", "result", "frechet_inception_distance"), r.Fid!.Value, 1e-3, 0, "FID");
        Tolerance.Close(GoldenJson.Number(Tf, "metrics", "all_default_k3", "result", "inception_score_mean"), r.InceptionScore!.Mean, 0, 1e-10, "IS");
        Tolerance.Close(GoldenJson.Number(Tf, "metrics", "all_default_k3", "result", "kernel_inception_distance_mean"), r.Kid!.Mean, 1e-6, 0, "KID");
        Assert.Equal(GoldenJson.Number(Tf, "metrics", "all_default_k3", "result", "precision"), r.PrecisionRecall!.Precision);
        Assert.Equal(GoldenJson.Number(Tf, "metrics", "all_default_k3", "result", "recall"), r.PrecisionRecall.Recall);
        Assert.Equal(GoldenJson.Number(["golden", "prdc", "prdc.json"], "cases", "a_torch_fidelity_pool3", "prdc_k5", "density"), r.DensityCoverage!.Density);
    }

    [Fact]
    public void OneBatchMatchesTheGoldens() => AssertGoldens(Feed(int.MaxValue / 4096, merge: false));

    [Fact]
    public void ManyBatchesMatchOneBatch()
    {
        var one = Feed(int.MaxValue / 4096, merge: false);
        var many = Feed(7, merge: false);
        AssertGoldens(many);
        Assert.Equal(one.InceptionScore!.Mean, many.InceptionScore!.Mean);
        Assert.Equal(one.Kid!.Mean, many.Kid!.Mean);
        Tolerance.Close(one.Fid!.Value, many.Fid!.Value, 0, 1e-9, "FID one vs many batches");
    }

    [Fact]
    public void MergedShardsMatchOnePass()
    {
        var one = Feed(int.MaxValue / 4096, merge: false);
        var merged = Feed(10, merge: true);
        AssertGoldens(merged);
        Assert.Equal(one.Kid!.Mean, merged.Kid!.Mean);
        Assert.Equal(one.PrecisionRecall, merged.PrecisionRecall);
        Tolerance.Close(one.Fid!.Value, merged.Fid!.Value, 1e-6, 1e-9, "FID one pass vs merged shards");
    }

    [Fact]
    public void StatefulEqualsTheFunctionalPath()
    {
        var functional = DistributionEvaluation.Evaluate(MetricInput.Load(Fixtures.Path("golden", "fid_tf", "features_set_a_2048.npy")),
            MetricInput.Load(Fixtures.Path("golden", "fid_tf", "features_set_b_2048.npy")),
            DistributionMetrics.Fid | DistributionMetrics.Kid | DistributionMetrics.Prdc,
            new EvaluationOptions { Protocol = KnownProtocols.TorchFidelity, SubsetSize = Options().SubsetSize });
        var stateful = Feed(13, merge: false);
        Assert.Equal(functional.Fid!.Value, stateful.Fid!.Value, 9);
        Assert.Equal(functional.Kid!.Mean, stateful.Kid!.Mean);
        Assert.Equal(functional.PrecisionRecall, stateful.PrecisionRecall);
        Assert.Equal(functional.DensityCoverage, stateful.DensityCoverage);
    }

    [Fact]
    public void PrecisionRecallReadsTheKeptRowsInPlace()
    {
        // The k-NN metrics read the evaluator's float32 rows as float64 while the distance product packs them: no float64
        // copy of either set (2 × 3000 × 2048 × 8 B = 98 MB) is made, and the counts equal those of the float64 path.
        const int n = 3000, d = 2048;
        var rng = new Random(5);
        var real = new float[n * d];
        var fake = new float[n * d];
        for (int i = 0; i < real.Length; i++)
        {
            real[i] = (float)rng.NextDouble();
            fake[i] = (float)(rng.NextDouble() + 0.01);
        }
        // One thread, so that every allocation of Compute is on this thread (other tests run beside this one).
        using var e = new DistributionEvaluator(KnownProtocols.TorchFidelity, null, DistributionMetrics.Prdc, new DistributionEvaluatorOptions { MaxThreads = 1 });
        e.UpdateRealFeatures(real);
        e.UpdateFakeFeatures(fake);
        e.Compute(); // compiles the path and fills the array pool
        long before = GC.GetAllocatedBytesForCurrentThread();
        var stateful = e.Compute();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // What it does allocate: the k-NN tables (n × (k+1) distances per set, hit and count arrays per task); the 384 × 3000
        // distance block and the packed panels come from the array pool. Under a tenth of the copies.
        long copies = 2L * n * d * sizeof(double);
        Assert.True(allocated < copies / 10, $"Compute allocated {allocated / 1e6:F1} MB; a float64 copy of both sets is {copies / 1e6:F1} MB");
        var functional = DistributionEvaluation.Evaluate(
            MetricInput.FromFeatures("real", Array.ConvertAll(real, v => (double)v), n, d),
            MetricInput.FromFeatures("fake", Array.ConvertAll(fake, v => (double)v), n, d),
            DistributionMetrics.Prdc, new EvaluationOptions { Protocol = KnownProtocols.TorchFidelity });
        Assert.Equal(functional.PrecisionRecall, stateful.PrecisionRecall);
        Assert.Equal(functional.DensityCoverage, stateful.DensityCoverage);
    }

    [Fact]
    public void FidOnlyKeepsNoRowsAndResetKeepsReal()
    {
        float[] real = Rows("features_set_a_2048.npy");
        float[] fake = Rows("features_set_b_2048.npy");
        using var e = new DistributionEvaluator(KnownProtocols.TorchFidelity, null, DistributionMetrics.Fid);
        e.UpdateRealFeatures(real);
        e.UpdateFakeFeatures(real);
        e.Reset(keepReal: true);
        e.UpdateFakeFeatures(fake);
        using var fresh = new DistributionEvaluator(KnownProtocols.TorchFidelity, null, DistributionMetrics.Fid);
        fresh.UpdateRealFeatures(real);
        fresh.UpdateFakeFeatures(fake);
        Assert.Equal(fresh.Compute().Fid!.Value, e.Compute().Fid!.Value);
        Tolerance.Close(GoldenJson.Number(Tf, "metrics", "all_default_k3", "result", "frechet_inception_distance"), e.Compute().Fid!.Value, 1e-3, 0, "FID");
        Assert.Throws<InvalidOperationException>(() => e.UpdateFakeLogits(new float[1008]));
    }

    [Fact]
    public void AProtocolNameIsParsedOnceAndAMisspeltOneIsRefused()
    {
        var ex = Assert.Throws<GenMetricsException>(() => KnownProtocols.Parse("torch_fidelity"));
        Assert.Contains("unknown protocol 'torch_fidelity'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("torch-fidelity", ex.Message, StringComparison.Ordinal);
        Assert.Same(KnownProtocols.TorchFidelity, KnownProtocols.Parse("torch-fidelity"));
        Assert.Same(KnownProtocols.TorchFidelity, KnownProtocols.Parse("Torch-Fidelity"));
        Assert.False(KnownProtocols.TryGet(null, out _));
        var stats = FeatureMatrix.Statistics("golden", "fid", "features_set_a_d64.npy");
        Assert.Equal(0, Fid.Compute(stats, stats, KnownProtocols.TorchFidelity).Value, 6);
    }
}
