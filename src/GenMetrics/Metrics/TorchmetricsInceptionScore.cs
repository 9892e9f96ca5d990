using GenMetrics.Numerics;

namespace GenMetrics.Metrics;

/// <summary>
/// Inception Score as torchmetrics' <c>InceptionScore.compute()</c>: rows shuffled by <c>torch.randperm(N)</c>,
/// softmax and log-softmax per row, <c>chunk(splits)</c> into pieces of ⌈N/splits⌉ rows (so the last piece is
/// shorter and there may be fewer than <c>splits</c> pieces), per piece exp(mean_x Σ_y p·(log p − log q)) with q the
/// piece's mean p; result = mean and sample std (<c>std()</c>, unbiased, N−1) over the pieces.
/// </summary>
/// <remarks>
/// The seed is the one given to <c>torch.manual_seed</c> right before <c>compute()</c>; the permutation is torch
/// 1.13's CPU <c>randperm</c> exactly (<see cref="TorchCpuGenerator"/>). torchmetrics computes in float32; this
/// computes in float64 (the reference's rounding is ~1e-7 relative). With a single piece the std is NaN, as torch's.
/// The features are <c>logits_unbiased</c> (pool3 · fc.weightᵀ, no bias), torchmetrics' default.
/// </remarks>
public static class TorchmetricsInceptionScore
{
    /// <summary>Computes IS from an N×C row-major logits matrix.</summary>
    public static InceptionScoreResult Compute(ReadOnlySpan<float> logits, int classes,
        int splits = MetricDefaults.InceptionScoreSplits, long seed = MetricDefaults.Seed, bool shuffle = true)
    {
        var values = new double[logits.Length];
        for (int i = 0; i < values.Length; i++) values[i] = logits[i];
        return Compute(values, classes, splits, seed, shuffle);
    }

    /// <summary>Computes IS from an N×C row-major logits matrix (float64).</summary>
    public static InceptionScoreResult Compute(ReadOnlySpan<double> logits, int classes,
        int splits = MetricDefaults.InceptionScoreSplits, long seed = MetricDefaults.Seed, bool shuffle = true)
    {
        int n = InceptionScore.RequireLogits(logits, classes);
        if (splits < 1 || splits > n) throw new GenMetricsException($"splits must be between 1 and the number of samples ({n}), got {splits}") { ParameterName = nameof(splits) };
        int[] order = shuffle ? Permutation(n, seed) : Enumerable.Range(0, n).ToArray();
        // torch.chunk: pieces of ceil(n / splits) rows (possibly fewer pieces than splits).
        int chunk = (n + splits - 1) / splits;
        int pieces = (n + chunk - 1) / chunk;
        var scores = new double[pieces];
        var work = new InceptionScore.SplitWork(classes);
        for (int s = 0; s < pieces; s++)
        {
            int start = s * chunk;
            scores[s] = InceptionScore.SplitScore(logits, classes, order, start, Math.Min(n, start + chunk), work);
        }
        double mean = scores.Average();
        double var = 0;
        foreach (double x in scores) var += (x - mean) * (x - mean);
        double std = pieces > 1 ? Math.Sqrt(var / (pieces - 1)) : double.NaN;
        return new InceptionScoreResult(mean, std, scores);
    }

    /// <summary>The row order compute() uses: <c>torch.randperm(n)</c> after <c>torch.manual_seed(seed)</c>.</summary>
    internal static int[] Permutation(int n, long seed) => new TorchCpuGenerator(unchecked((ulong)seed)).Randperm(n);
}
