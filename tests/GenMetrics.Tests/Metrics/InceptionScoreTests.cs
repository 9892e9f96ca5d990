using GenMetrics.Checkpoints;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

public sealed class InceptionScoreTests
{
    private static readonly string[] IsJson = ["golden", "is", "is.json"];

    [Theory]
    [InlineData("set_a", "logits_unbiased")]
    [InlineData("set_a", "logits")]
    [InlineData("set_b", "logits_unbiased")]
    [InlineData("set_b", "logits")]
    public void MatchesTorchFidelity(string set, string layer)
    {
        var a = NpyFile.Read(Fixtures.Path("golden", "fid_tf", $"features_{set}_{layer}.npy"));
        var logits = a.ToFloat32();
        int classes = a.Shape[1];
        string key = $"{set}_{layer}";
        foreach (int splits in new[] { 10, 1 })
        {
            foreach (bool shuffle in new[] { true, false })
            {
                string variant = $"torch_fidelity_splits{splits}_" + (shuffle ? "shuffle_seed2020" : "no_shuffle");
                var r = InceptionScore.Compute(logits, classes, splits, shuffle, 2020);
                double mean = GoldenJson.Number(IsJson, "values", key, variant, "inception_score_mean");
                double std = GoldenJson.Number(IsJson, "values", key, variant, "inception_score_std");
                // Tier: float64 softmax and sums like the reference; only summation order differs → 1e-10 relative.
                Tolerance.Close(mean, r.Mean, 0, 1e-10, $"IS mean {key} {variant}");
                Tolerance.Close(std, r.Std, 1e-12, 1e-9, $"IS std {key} {variant}");
            }
        }
    }

    [Fact]
    public void FewerThanTwoSamplesIsRefused()
    {
        var e = Assert.Throws<GenMetricsException>(() => InceptionScore.Compute(new float[1008], 1008));
        Assert.Contains("at least 2 samples", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NonFiniteLogitsAreRefused()
    {
        var x = new float[2 * 1008];
        x[5] = float.NaN;
        Assert.Throws<GenMetricsException>(() => InceptionScore.Compute(x, 1008, splits: 1));
    }
}
