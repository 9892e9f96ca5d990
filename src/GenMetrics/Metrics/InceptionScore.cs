using GenMetrics.Numerics;

namespace GenMetrics.Metrics;

/// <summary>Inception Score: mean and population std over splits, and each split's score.</summary>
/// <param name="Mean">Mean of the split scores.</param>
/// <param name="Std">Standard deviation of the split scores: population (np.std, ddof 0) for torch-fidelity, sample (N−1) for torchmetrics.</param>
/// <param name="SplitScores">exp(E KL(p(y|x) ‖ p(y))) of each split.</param>
public sealed record InceptionScoreResult(double Mean, double Std, double[] SplitScores);

/// <summary>
/// Inception Score from logits, as torch-fidelity's <c>isc_features_to_metric</c>:
/// optional shuffle by <c>RandomState(seed).permutation(N)</c>, float64 softmax / log-softmax, split i = rows
/// [i·N/s, (i+1)·N/s) (integer division, so unequal splits when s ∤ N), score_i = exp(mean_x Σ_y p·(log p − log q)),
/// q = the split's mean p; result = mean and np.std (ddof 0).
/// </summary>
/// <remarks>
/// Logits are those without the fc bias (<c>logits_unbiased</c>, torch-fidelity's default and the original
/// OpenAI code). Parity with <c>golden/is</c>: 1e-10 relative (float64 throughout; only summation order differs).
/// </remarks>
public static class InceptionScore
{
    /// <summary>Computes IS from an N×C row-major logits matrix.</summary>
    public static InceptionScoreResult Compute(ReadOnlySpan<float> logits, int classes,
        int splits = MetricDefaults.InceptionScoreSplits, bool shuffle = MetricDefaults.InceptionScoreShuffle, int seed = MetricDefaults.Seed)
    {
        var values = new double[logits.Length];
        for (int i = 0; i < values.Length; i++) values[i] = logits[i];
        return Compute(values, classes, splits, shuffle, seed);
    }

    /// <summary>Computes IS from an N×C row-major logits matrix (float64).</summary>
    public static InceptionScoreResult Compute(ReadOnlySpan<double> logits, int classes,
        int splits = MetricDefaults.InceptionScoreSplits, bool shuffle = MetricDefaults.InceptionScoreShuffle, int seed = MetricDefaults.Seed)
    {
        int n = RequireLogits(logits, classes);
        if (splits < 1 || splits > n) throw new GenMetricsException($"splits must be between 1 and the number of samples ({n}), got {splits}") { ParameterName = nameof(splits) };
        int[] order = shuffle ? new NumpyRandomState(unchecked((uint)seed)).Permutation(n) : Enumerable.Range(0, n).ToArray();
        var scores = new double[splits];
        var work = new SplitWork(classes);
        for (int s = 0; s < splits; s++)
        {
            scores[s] = SplitScore(logits, classes, order, (int)((long)s * n / splits), (int)((long)(s + 1) * n / splits), work);
        }
        double mean = scores.Average();
        double var = 0;
        foreach (double x in scores) var += (x - mean) * (x - mean);
        return new InceptionScoreResult(mean, Math.Sqrt(var / splits), scores);
    }

    /// <summary>
    /// Checks an N×C row-major logits matrix (a whole number of rows, at least 2, all finite) and returns N; the one
    /// check of every Inception Score protocol.
    /// </summary>
    internal static int RequireLogits(ReadOnlySpan<double> logits, int classes)
    {
        if (classes <= 0 || logits.Length % classes != 0) throw new GenMetricsException($"logits have {logits.Length} values, not a multiple of {classes} classes");
        int n = logits.Length / classes;
        if (n < 2) throw new GenMetricsException($"Inception Score needs at least 2 samples, got {n}");
        foreach (double x in logits)
        {
            if (!double.IsFinite(x)) throw new GenMetricsException("logits contain NaN or infinity; check the features");
        }
        return n;
    }

    /// <summary>The per-class buffers of <see cref="SplitScore"/>, reused from split to split.</summary>
    internal sealed class SplitWork(int classes)
    {
        public double[] Q { get; } = new double[classes];
        public double[] P { get; } = new double[classes];
        public double[] LogP { get; } = new double[classes];
    }

    /// <summary>
    /// One split's score in float64 (torch-fidelity's and torchmetrics' arithmetic): q = the mean softmax of rows
    /// order[start..end), then exp of the mean KL(p_r ‖ q). Rows are recomputed in the second pass instead of stored, so
    /// memory is O(classes) for any N (identical arithmetic both times).
    /// </summary>
    internal static double SplitScore(ReadOnlySpan<double> logits, int classes, int[] order, int start, int end, SplitWork work)
    {
        double[] q = work.Q, p = work.P, logP = work.LogP;
        int rows = end - start;
        Array.Clear(q);
        for (int r = start; r < end; r++)
        {
            Softmax(logits.Slice(order[r] * classes, classes), p, logP);
            for (int c = 0; c < classes; c++) q[c] += p[c];
        }
        for (int c = 0; c < classes; c++) q[c] = Math.Log(q[c] / rows);
        double klSum = 0;
        for (int r = start; r < end; r++)
        {
            Softmax(logits.Slice(order[r] * classes, classes), p, logP);
            double kl = 0;
            for (int c = 0; c < classes; c++) kl += p[c] * (logP[c] - q[c]);
            klSum += kl;
        }
        return Math.Exp(klSum / rows);
    }

    /// <summary>float64 softmax and log-softmax of one row (the row max is subtracted first, as torch does).</summary>
    internal static void Softmax(ReadOnlySpan<double> row, double[] p, double[] logP)
    {
        double max = double.NegativeInfinity;
        foreach (double x in row) max = Math.Max(max, x);
        double sum = 0;
        for (int c = 0; c < row.Length; c++) sum += Math.Exp(row[c] - max);
        double logSum = Math.Log(sum);
        for (int c = 0; c < row.Length; c++)
        {
            logP[c] = row[c] - max - logSum;
            p[c] = Math.Exp(row[c] - max) / sum;
        }
    }
}
