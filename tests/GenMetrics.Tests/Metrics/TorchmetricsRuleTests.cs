using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using Xunit.Abstractions;

namespace GenMetrics.Tests.Metrics;

/// <summary>
/// torchmetrics' KID subsets and Inception Score rules against <c>golden/torchmetrics</c> (torchmetrics 1.9.0 on
/// torch 1.13, <c>torch.manual_seed(1)</c> right before <c>compute()</c>): the random draws must be identical,
/// and IS from the golden logits is compared at the reference's float32 arithmetic.
/// </summary>
public sealed class TorchmetricsRuleTests(ITestOutputHelper output)
{
    private static readonly string[] Json = ["golden", "torchmetrics", "torchmetrics.json"];
    private const int Seed = 1;

    private static long[] GoldenInts(string file) => NpyFile.Read(Fixtures.Path("golden", "torchmetrics", file)).ToInt64();

    [Theory]
    [InlineData("inception_score_set_a", "is_set_a_permutation.npy")]
    [InlineData("inception_score_set_b", "is_set_b_permutation.npy")]
    public void InceptionScorePermutationIsTorchRandperm(string metric, string file)
    {
        long[] expected = GoldenInts(file);
        int n = (int)GoldenJson.Number(Json, "sets", metric.EndsWith("_a", StringComparison.Ordinal) ? "set_a" : "set_b", "n");
        int[] actual = TorchmetricsInceptionScore.Permutation(n, Seed);
        // Exact: the permutation is integer arithmetic on MT19937 outputs.
        Assert.Equal(expected, actual.Select(v => (long)v).ToArray());
    }

    [Theory]
    [InlineData("kid_subsets100", "kid_subsets100_indices.npy")]
    [InlineData("kid_full_set", "kid_full_set_indices.npy")]
    public void KidSubsetsAreTorchRandperm(string metric, string file)
    {
        var golden = NpyFile.Read(Fixtures.Path("golden", "torchmetrics", file));
        long[] expected = golden.ToInt64();
        int subsets = golden.Shape[0], size = golden.Shape[2];
        Assert.Equal(2, golden.Shape[1]);
        Assert.Contains($"subsets={subsets}, subset_size={size}", GoldenJson.Element(Json, "metrics", metric, "call").GetString(), StringComparison.Ordinal);
        var draws = TorchmetricsKid.DrawSubsets(64, 64, subsets, size, Seed);
        var actual = new List<long>();
        foreach (var (real, fake) in draws)
        {
            actual.AddRange(real.Select(v => (long)v));
            actual.AddRange(fake.Select(v => (long)v));
        }
        // Exact: every index of every subset, real (set_a) first, then fake (set_b).
        Assert.Equal(expected, actual.ToArray());
    }

    [Fact]
    public void InceptionScoreFromGoldenLogitsMatchesTorchmetrics()
    {
        var logits = NpyFile.Read(Fixtures.Path("golden", "torchmetrics", "logits_unbiased_set_b.npy"));
        Assert.Equal(1008, logits.Shape[1]);
        var r = TorchmetricsInceptionScore.Compute(logits.ToFloat32(), 1008, splits: 10, seed: Seed);
        double mean = GoldenJson.Number(Json, "metrics", "inception_score_set_b", "is_mean");
        double std = GoldenJson.Number(Json, "metrics", "inception_score_set_b", "is_std");
        output.WriteLine($"IS set_b: {r.Mean:R} ± {r.Std:R} vs {mean:R} ± {std:R}; rel {Math.Abs(r.Mean - mean) / mean:E2} / {Math.Abs(r.Std - std) / std:E2}");
        // torch.chunk(10) of 64 rows: 9 pieces of 7 and one of 1 (whose score is exp(0) = 1).
        Assert.Equal(10, r.SplitScores.Length);
        Assert.Equal(1.0, r.SplitScores[^1], 12);
        // Tier statistics (shared features): 1e-6 relative. The logits are the golden's; torchmetrics' softmax,
        // logs and sums are float32 and its result is a float32 (measured 3.1e-8 / 4.0e-8 relative here).
        Tolerance.Close(mean, r.Mean, 0, 1e-6, "IS mean");
        Tolerance.Close(std, r.Std, 0, 1e-6, "IS std");
    }

    [Fact]
    public void InceptionScoreChunksLikeTorchChunk()
    {
        // 12 rows, 10 splits: torch.chunk gives ceil(12/10) = 2 rows per piece, so 6 pieces, not 10.
        var logits = new float[12 * 3];
        for (int i = 0; i < logits.Length; i++) logits[i] = (i * 7 % 11) * 0.3f;
        var r = TorchmetricsInceptionScore.Compute(logits, 3, splits: 10, seed: 5);
        Assert.Equal(6, r.SplitScores.Length);
        var one = TorchmetricsInceptionScore.Compute(logits, 3, splits: 1, seed: 5);
        Assert.Single(one.SplitScores);
        Assert.True(double.IsNaN(one.Std), "torch's unbiased std of one value is NaN");
    }

    [Fact]
    public void KidRefusesSubsetsLargerThanTheSets()
    {
        var features = new double[10 * 4];
        var e = Assert.Throws<GenMetricsException>(() => TorchmetricsKid.Compute(features, features, 4, subsets: 1, subsetSize: 11));
        Assert.Contains("subsetSize of 10", e.Message, StringComparison.Ordinal);
        Assert.Equal("subsetSize", e.ParameterName);
    }
}
