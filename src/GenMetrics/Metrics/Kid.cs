using GenMetrics.Numerics;

namespace GenMetrics.Metrics;

/// <summary>Kernel Inception Distance: mean and population std of the per-subset unbiased MMD².</summary>
/// <param name="Mean">Mean MMD² over subsets.</param>
/// <param name="Std">np.std (ddof 0) over subsets.</param>
/// <param name="SubsetValues">MMD² of each subset.</param>
public sealed record KidResult(double Mean, double Std, double[] SubsetValues);

/// <summary>
/// KID as torch-fidelity's <c>kid_features_to_metric</c>: <c>RandomState(seed)</c>; per subset
/// <c>choice(n1, s, replace=False)</c> rows of input1 (FAKE), then <c>choice(n2, s, replace=False)</c> rows of
/// input2 (REAL); polynomial kernel k(x,y) = (x·y/d + 1)³; unbiased MMD² =
/// (Σ_{i≠j} Kxx + Σ_{i≠j} Kyy)/(m(m−1)) − 2·Σ Kxy/m²; mean and np.std over subsets.
/// </summary>
/// <remarks>
/// torch-fidelity evaluates the kernel in the features' dtype (float32): the dot products are a float32 GEMM (numpy's
/// <c>X @ Y.T</c>), each kernel step is rounded to float32; the sums here are float64. With
/// <c>float32Kernel: false</c> everything is float64.
/// Parity with <c>golden/fid_tf</c>: 1e-6 absolute (the reference's float32 rounding; its float32 vs float64
/// spread is 1.3e-7).
/// </remarks>
public static class Kid
{
    /// <summary>Computes KID; <paramref name="fake"/> is torch-fidelity's input1, <paramref name="real"/> input2.</summary>
    public static KidResult Compute(ReadOnlySpan<double> fake, ReadOnlySpan<double> real, int dimension,
        int subsets = MetricDefaults.KidSubsets, int subsetSize = MetricDefaults.KidSubsetSize, int seed = MetricDefaults.Seed,
        bool float32Kernel = true)
    {
        var (n2, n1) = RequireSubsets(real.Length, fake.Length, dimension, subsets, subsetSize);
        var rng = new NumpyRandomState(unchecked((uint)seed));
        double[] fakeArray = fake.ToArray(), realArray = real.ToArray();
        FeatureSets.RequireFinite(fakeArray, "fake");
        FeatureSets.RequireFinite(realArray, "real");
        FeatureMagnitude.Require(fakeArray, dimension, FeatureMagnitude.Kid, "fake", "KID");
        FeatureMagnitude.Require(realArray, dimension, FeatureMagnitude.Kid, "real", "KID");
        // The reference's features are float32 (network outputs, so the conversion is exact for them).
        if (float32Kernel) return Float32Kernel(ToFloat32(fakeArray), ToFloat32(realArray), n1, n2, dimension, subsets, subsetSize, rng);
        var values = new double[subsets];
        int m = subsetSize, d = dimension;
        {
            var x = new double[(long)m * d];
            var y = new double[(long)m * d];
            for (int s = 0; s < subsets; s++)
            {
                int[] idx1 = rng.ChoiceWithoutReplacement(n1, m);
                int[] idx2 = rng.ChoiceWithoutReplacement(n2, m);
                Gather(fakeArray, idx1, d, x);
                Gather(realArray, idx2, d, y);
                values[s] = UnbiasedMmd2(x, y, m, d);
            }
        }
        return Summarise(values);
    }

    /// <summary>
    /// <see cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, int, int, bool)"/> (float32 kernel) of
    /// float32 rows, read in place: the same checks and, bit for bit, the same result as on their float64 widening.
    /// </summary>
    internal static KidResult Compute(ReadOnlySpan<float> fake, ReadOnlySpan<float> real, int dimension, int subsets, int subsetSize, int seed)
    {
        var (n2, n1) = RequireSubsets(real.Length, fake.Length, dimension, subsets, subsetSize);
        FeatureSets.RequireFinite(fake, "fake");
        FeatureSets.RequireFinite(real, "real");
        FeatureMagnitude.Require(fake, dimension, FeatureMagnitude.Kid, "fake", "KID");
        FeatureMagnitude.Require(real, dimension, FeatureMagnitude.Kid, "real", "KID");
        return Float32Kernel(fake, real, n1, n2, dimension, subsets, subsetSize, new NumpyRandomState(unchecked((uint)seed)));
    }

    /// <summary>torch-fidelity's subsets (input1 = <paramref name="fake"/> first, then input2) and float32 kernel.</summary>
    private static KidResult Float32Kernel(ReadOnlySpan<float> fake, ReadOnlySpan<float> real, int n1, int n2, int d, int subsets, int m,
        NumpyRandomState rng)
    {
        var values = new double[subsets];
        var x = new float[(long)m * d];
        var y = new float[(long)m * d];
        for (int s = 0; s < subsets; s++)
        {
            int[] idx1 = rng.ChoiceWithoutReplacement(n1, m);
            int[] idx2 = rng.ChoiceWithoutReplacement(n2, m);
            GatherRows(fake, idx1, d, x);
            GatherRows(real, idx2, d, y);
            values[s] = UnbiasedMmd2(x, y, m, d);
        }
        return Summarise(values);
    }

    /// <summary>Mean and population std (np.std, ddof 0) of the per-subset MMD².</summary>
    internal static KidResult Summarise(double[] values)
    {
        double mean = 0;
        foreach (double v in values) mean += v;
        mean /= values.Length;
        double var = 0;
        foreach (double v in values) var += (v - mean) * (v - mean);
        return new KidResult(mean, Math.Sqrt(var / values.Length), values);
    }

    /// <summary>
    /// The checks every KID subset rule shares: whole rows of <paramref name="dimension"/> columns, at least 2 rows per
    /// set, a subset size of at least 2 that fits both sets, at least one subset. Returns the real and fake row counts.
    /// </summary>
    internal static (int Real, int Fake) RequireSubsets(int realValues, int fakeValues, int dimension, int subsets, int subsetSize)
    {
        if (dimension <= 0 || fakeValues % dimension != 0 || realValues % dimension != 0)
        {
            throw new GenMetricsException($"feature matrices do not have {dimension} columns");
        }
        int nReal = realValues / dimension, nFake = fakeValues / dimension;
        if (nReal < 2 || nFake < 2) throw new GenMetricsException($"KID needs at least 2 samples per set, got {nReal} real and {nFake} fake");
        if (subsetSize < 2) throw new GenMetricsException($"subsetSize must be at least 2, got {subsetSize}") { ParameterName = nameof(subsetSize) };
        if (subsets < 1) throw new GenMetricsException($"subsets must be at least 1, got {subsets}") { ParameterName = nameof(subsets) };
        if (subsetSize > nReal || subsetSize > nFake)
        {
            throw new GenMetricsException($"KID subset size {subsetSize} is larger than the number of samples ({nReal} real, {nFake} fake); use a subsetSize of {Math.Min(nReal, nFake)} or fewer") { ParameterName = nameof(subsetSize) };
        }
        return (nReal, nFake);
    }

    internal static void Gather<T>(T[] source, int[] rows, int d, T[] target)
    {
        for (int r = 0; r < rows.Length; r++) Array.Copy(source, (long)rows[r] * d, target, (long)r * d, d);
    }

    /// <summary>Copies the rows <paramref name="rows"/> of <paramref name="source"/> (d columns) into <paramref name="target"/>, in order.</summary>
    internal static void GatherRows(ReadOnlySpan<float> source, int[] rows, int d, float[] target)
    {
        for (int r = 0; r < rows.Length; r++) source.Slice(rows[r] * d, d).CopyTo(target.AsSpan(r * d, d));
    }

    private static float[] ToFloat32(double[] values)
    {
        var result = new float[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = (float)values[i];
        return result;
    }

    /// <summary>Unbiased MMD² with the cubic polynomial kernel between two m×d sets, everything in float64.</summary>
    internal static double UnbiasedMmd2(double[] x, double[] y, int m, int d)
    {
        double gamma = 1.0 / d;
        double sumXx = KernelSum(x, x, m, d, gamma, offDiagonal: true);
        double sumYy = KernelSum(y, y, m, d, gamma, offDiagonal: true);
        double sumXy = KernelSum(x, y, m, d, gamma, offDiagonal: false);
        return Combine(sumXx, sumYy, sumXy, m);
    }

    /// <summary>
    /// Unbiased MMD² with torch-fidelity's float32 kernel: K = (X·Yᵀ·γ + 1)³ with the product a float32 GEMM (as
    /// numpy's float32 <c>X @ Y.T</c>) and each step rounded to float32; the sums of K are float64.
    /// </summary>
    internal static double UnbiasedMmd2(float[] x, float[] y, int m, int d)
    {
        float gamma = (float)(1.0 / d);
        double sumXx = KernelSum(x, x, m, d, gamma, offDiagonal: true);
        double sumYy = KernelSum(y, y, m, d, gamma, offDiagonal: true);
        double sumXy = KernelSum(x, y, m, d, gamma, offDiagonal: false);
        return Combine(sumXx, sumYy, sumXy, m);
    }

    private static double Combine(double sumXx, double sumYy, double sumXy, int m) =>
        (sumXx + sumYy) / ((double)m * (m - 1)) - 2 * sumXy / ((double)m * m);

    /// <summary>
    /// Σ k(a_i, b_j) over all pairs, or over i ≠ j when <paramref name="offDiagonal"/> (then a = b, and only the
    /// upper triangle of the symmetric kernel matrix is formed: Σ_{i≠j} = 2·Σ_{i&lt;j}).
    /// </summary>
    private static double KernelSum(double[] a, double[] b, int m, int d, double gamma, bool offDiagonal)
    {
        var dots = System.Buffers.ArrayPool<double>.Shared.Rent(m * m);
        try
        {
            Array.Clear(dots, 0, m * m);
            MatrixProduct.MultiplyAdd(a, 0, d, false, b, 0, d, true, dots, 0, m, m, m, d, upperOnly: offDiagonal);
            double total = 0;
            for (int i = 0; i < m; i++)
            {
                double row = 0;
                for (int j = offDiagonal ? i + 1 : 0; j < m; j++)
                {
                    double u = dots[i * m + j] * gamma + KidCoef0;
                    row += u * u * u;
                }
                total += row;
            }
            return offDiagonal ? 2 * total : total;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(dots);
        }
    }

    /// <summary><see cref="KernelSum(double[], double[], int, int, double, bool)"/> with the float32 GEMM and kernel.</summary>
    private static double KernelSum(float[] a, float[] b, int m, int d, float gamma, bool offDiagonal)
    {
        var dots = System.Buffers.ArrayPool<float>.Shared.Rent(m * m);
        try
        {
            Array.Clear(dots, 0, m * m);
            MatrixProduct.MultiplyAdd(a, 0, d, false, b, 0, d, true, dots, 0, m, m, m, d, upperOnly: offDiagonal);
            double total = 0;
            for (int i = 0; i < m; i++)
            {
                double row = 0;
                for (int j = offDiagonal ? i + 1 : 0; j < m; j++) row += Float32Kernel(dots[i * m + j], gamma);
                total += row;
            }
            return offDiagonal ? 2 * total : total;
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(dots);
        }
    }

    /// <summary>(x·y·γ + 1)³ with each step rounded to float32 as numpy float32 does (the cube correctly rounded).</summary>
    private static float Float32Kernel(float dot, float gamma)
    {
        float t = dot * gamma + 1f;
        return (float)((double)t * t * t);
    }

    private const double KidCoef0 = MetricDefaults.KidCoef0;
}
