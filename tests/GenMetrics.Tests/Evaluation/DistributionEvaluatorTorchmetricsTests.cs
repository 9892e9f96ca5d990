using GenMetrics.Checkpoints;
using GenMetrics.Evaluation;
using GenMetrics.Features;
using GenMetrics.Metrics;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Evaluation;

/// <summary>
/// The stateful evaluator under <see cref="KnownProtocols.Torchmetrics"/> uses torchmetrics' KID subsets and IS
/// chunks (not torch-fidelity's), equal to the stateless functions, and names the protocol.
/// </summary>
public sealed class DistributionEvaluatorTorchmetricsTests
{
    private static float[] Golden(string file) => NpyFile.Read(Fixtures.Path("golden", "torchmetrics", file)).ToFloat32();

    [Fact]
    public void KidAndInceptionScoreFollowTorchmetricsRules()
    {
        float[] real = Golden("features_set_a_2048_aa_true.npy");
        float[] fake = Golden("features_set_a_2048_aa_false.npy");
        float[] logits = Golden("logits_unbiased_set_b.npy");
        var options = new DistributionEvaluatorOptions { Subsets = 100, SubsetSize = 32, Seed = 1 };
        using var evaluator = new DistributionEvaluator(KnownProtocols.Torchmetrics, weightsPath: null,
            DistributionMetrics.Kid | DistributionMetrics.InceptionScore, options);
        evaluator.UpdateRealFeatures(real.AsSpan(0, 32 * 2048));
        evaluator.UpdateRealFeatures(real.AsSpan(32 * 2048));
        evaluator.UpdateFakeFeatures(fake);
        evaluator.UpdateFakeLogits(logits);
        var result = evaluator.Compute();
        Assert.Same(KnownProtocols.Torchmetrics, result.Protocol);

        var kid = TorchmetricsKid.Compute(real.Select(v => (double)v).ToArray(), fake.Select(v => (double)v).ToArray(), 2048, 100, 32, seed: 1);
        // Exact: the same rows in the same subsets through the same arithmetic, whatever the batching.
        Assert.Equal(kid.Mean, result.Kid!.Mean);
        Assert.Equal(kid.Std, result.Kid.Std);
        Assert.NotEqual(Kid.Compute(fake.Select(v => (double)v).ToArray(), real.Select(v => (double)v).ToArray(), 2048, 100, 32, seed: 1).Mean, result.Kid.Mean);

        string[] json = ["golden", "torchmetrics", "torchmetrics.json"];
        // Tier statistics (shared logits): 1e-6 relative, as TorchmetricsRuleTests.
        Tolerance.Close(GoldenJson.Number(json, "metrics", "inception_score_set_b", "is_mean"), result.InceptionScore!.Mean, 0, 1e-6, "IS mean");
        Tolerance.Close(GoldenJson.Number(json, "metrics", "inception_score_set_b", "is_std"), result.InceptionScore.Std, 0, 1e-6, "IS std");
    }
}
