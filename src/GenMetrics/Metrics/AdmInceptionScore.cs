namespace GenMetrics.Metrics;

/// <summary>
/// Inception Score with the ADM evaluator's rule (guided-diffusion <c>Evaluator.compute_inception_score</c>, after
/// OpenAI improved-gan): p = float32 softmax of the unbiased logits (pool3 · Wᵀ), consecutive splits of
/// <see cref="SplitSize"/> rows in file order (no shuffle; the last split may be shorter),
/// score_i = exp(mean_x Σ_y p·(log p − log q)) with q the split's mean p; the result is the mean of the scores.
/// </summary>
/// <remarks>
/// The softmax is computed in float32 as torch does (row max subtracted, float32 exp and sum); the KL terms are
/// summed in float64 where ADM sums float32, which moves the score by float32 rounding only (parity with
/// <c>golden/adm</c>: 1e-6 relative from the same pool3 features). A probability that underflows to 0 adds 0 (its limit),
/// where numpy's <c>0·log 0</c> would give NaN. <see cref="InceptionScoreResult.Std"/> is the population std of the split
/// scores, which ADM does not report.
/// </remarks>
public static class AdmInceptionScore
{
    /// <summary>ADM's <c>split_size</c>.</summary>
    public const int SplitSize = 5000;

    /// <summary>Computes ADM's Inception Score from an N×C row-major matrix of float32 unbiased logits.</summary>
    /// <exception cref="GenMetricsException">See <see cref="Compute(ReadOnlySpan{double}, int, int)"/>.</exception>
    public static InceptionScoreResult Compute(ReadOnlySpan<float> logits, int classes, int splitSize = SplitSize)
    {
        var values = new double[logits.Length];
        for (int i = 0; i < values.Length; i++) values[i] = logits[i];
        return Compute(values, classes, splitSize);
    }

    /// <summary>Computes ADM's Inception Score from an N×C row-major matrix of unbiased logits.</summary>
    /// <exception cref="GenMetricsException">Fewer than 2 rows, a length that is not a multiple of C, or non-finite logits.</exception>
    public static InceptionScoreResult Compute(ReadOnlySpan<double> logits, int classes, int splitSize = SplitSize)
    {
        if (splitSize < 1) throw new GenMetricsException($"the Inception Score split size must be positive, got {splitSize}");
        int n = InceptionScore.RequireLogits(logits, classes);
        int splits = (n + splitSize - 1) / splitSize;
        var scores = new double[splits];
        var p = new float[classes];
        var q = new double[classes];
        for (int s = 0; s < splits; s++)
        {
            int start = s * splitSize, end = Math.Min(n, start + splitSize), rows = end - start;
            Array.Clear(q);
            for (int r = start; r < end; r++)
            {
                Softmax(logits.Slice(r * classes, classes), p);
                for (int c = 0; c < classes; c++) q[c] += p[c];
            }
            for (int c = 0; c < classes; c++) q[c] = Math.Log((float)(q[c] / rows));
            double klSum = 0;
            for (int r = start; r < end; r++)
            {
                Softmax(logits.Slice(r * classes, classes), p);
                double kl = 0;
                for (int c = 0; c < classes; c++)
                {
                    if (p[c] > 0) kl += p[c] * (Math.Log(p[c]) - q[c]);
                }
                klSum += kl;
            }
            scores[s] = Math.Exp(klSum / rows);
        }
        double mean = scores.Average();
        double variance = 0;
        foreach (double x in scores) variance += (x - mean) * (x - mean);
        return new InceptionScoreResult(mean, Math.Sqrt(variance / splits), scores);
    }

    /// <summary>float32 softmax of one row: the logits rounded to float32 (the network's dtype), max subtracted, float32 exp and sum.</summary>
    private static void Softmax(ReadOnlySpan<double> row, float[] p)
    {
        float max = float.NegativeInfinity;
        foreach (double x in row) max = Math.Max(max, (float)x);
        float sum = 0;
        for (int c = 0; c < row.Length; c++)
        {
            p[c] = MathF.Exp((float)row[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < row.Length; c++) p[c] /= sum;
    }
}
