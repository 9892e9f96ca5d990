using System.Globalization;

namespace GenMetrics.Metrics;

/// <summary>
/// The largest feature magnitude |x| for which each metric's arithmetic stays finite, and the one check that
/// refuses larger features (instead of a NaN, an overflowed kernel or an all-infinite distance matrix).
/// Inception features are below 100; these bounds only stop values no network produces.
/// </summary>
internal static class FeatureMagnitude
{
    /// <summary>
    /// KID: the kernel (x·y/d + 1)³ is formed in float32 as torch-fidelity does. |x·y|/d ≤ M², so the cube is at
    /// most (M² + 1)³, which float32 (max 3.4e38) holds while M² + 1 &lt; 6.9e12, i.e. M &lt; 2.6e6. At 1e6 the
    /// kernel stays below 1e36, and the float64 sums of m² kernel values (m ≤ 10⁵) below 1e46.
    /// </summary>
    public const double Kid = 1e6;

    /// <summary>
    /// FID and precision/recall/density/coverage. Distances: ‖x−y‖² ≤ 4·d·M² in float64, then ‖x−y‖ is rounded
    /// to float32 (torch-fidelity's precision/recall), which holds it while 2·√d·M &lt; 3.4e38; with d &lt; 2³¹
    /// (√d &lt; 46341) that is M &lt; 3.6e33. FID: Σ entries are at most M², the matrix square root forms products
    /// of two covariances (≤ d·M⁴) and the eigensolve squares those (≤ d²·M⁸ = 4.6e18·1e240 at M = 1e30), far
    /// below float64's 1.8e308 (it fails from M ≈ 1e38). 1e30 meets both.
    /// </summary>
    public const double DistancesAndCovariance = 1e30;

    /// <summary>
    /// Throws, naming <paramref name="source"/> and the first offending element, when a value's magnitude exceeds
    /// <paramref name="limit"/> (NaN and infinity included).
    /// </summary>
    public static void Require(ReadOnlySpan<double> values, int columns, double limit, string source, string metric) =>
        Require(values, columns, limit, source, metric, 0);

    /// <summary>
    /// <see cref="Require(ReadOnlySpan{double}, int, double, string, string)"/> on a block of rows that starts at row
    /// <paramref name="firstRow"/> of the source (the rows named in the message are the source's).
    /// </summary>
    public static void Require(ReadOnlySpan<double> values, int columns, double limit, string source, string metric, long firstRow)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            if (!(Math.Abs(x) <= limit)) throw Beyond(x, i, columns, firstRow, limit, source, metric);
        }
    }

    private static GenMetricsException Beyond(double x, int index, int columns, long firstRow, double limit, string source, string metric)
    {
        string at = columns > 0 ? $"row {firstRow + index / columns}, column {index % columns}" : $"element {index}";
        return new GenMetricsException(string.Create(CultureInfo.InvariantCulture,
            $"{source}: feature value {x:G3} ({at}) is beyond ±{limit:G0}, where {metric}'s arithmetic overflows; rescale or recompute the features"));
    }

    /// <summary>
    /// <see cref="Require(ReadOnlySpan{double}, int, double, string, string)"/> on float32 values (the same test and
    /// message as on their float64 widening).
    /// </summary>
    public static void Require(ReadOnlySpan<float> values, int columns, double limit, string source, string metric)
    {
        for (int i = 0; i < values.Length; i++)
        {
            double x = values[i];
            if (!(Math.Abs(x) <= limit)) throw Beyond(x, i, columns, 0, limit, source, metric);
        }
    }

    /// <summary>
    /// FID from a statistics file: Σ of features within <see cref="DistancesAndCovariance"/> has entries of at
    /// most its square (1e60), the bound the square root's arithmetic is sized for above.
    /// </summary>
    public static void RequireCovariance(ReadOnlySpan<double> sigma, int d, string source)
    {
        const double limit = DistancesAndCovariance * DistancesAndCovariance;
        for (int i = 0; i < sigma.Length; i++)
        {
            if (Math.Abs(sigma[i]) <= limit) continue;
            throw new GenMetricsException(string.Create(CultureInfo.InvariantCulture,
                $"{source}: sigma[{i / d},{i % d}] = {sigma[i]:G3} is beyond ±{limit:G0}, where FID's matrix square root overflows; recompute the statistics from features of sane magnitude"));
        }
    }
}
