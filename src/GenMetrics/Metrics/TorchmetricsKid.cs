using GenMetrics.Numerics;

namespace GenMetrics.Metrics;

/// <summary>
/// KID as torchmetrics' <c>KernelInceptionDistance.compute()</c>: per subset, <c>perm = torch.randperm(n_real)</c>
/// then <c>perm = torch.randperm(n_fake)</c> from the global CPU generator, the first <c>subset_size</c> entries
/// of each; polynomial kernel k(x,y) = (x·y/d + 1)³; unbiased MMD² = (Σ_{i≠j} Kxx + Σ_{i≠j} Kyy)/(m(m−1)) −
/// 2·Σ Kxy/m²; mean and population std (<c>std(unbiased=False)</c>) over subsets.
/// </summary>
/// <remarks>
/// The seed is the one given to <c>torch.manual_seed</c> right before <c>compute()</c> (torchmetrics itself does
/// not seed; a training loop's generator state is whatever came before). The subsets are torch 1.13's CPU
/// <c>randperm</c> exactly (<see cref="TorchCpuGenerator"/>; identical to <c>golden/torchmetrics</c>'s saved
/// indices). torchmetrics evaluates kernel and sums in float32; here dot products and sums are float64 and each
/// kernel value is rounded to float32 (the MMD core is <see cref="Kid"/>'s).
/// </remarks>
public static class TorchmetricsKid
{
    /// <summary>Computes KID with torchmetrics' subsets; <paramref name="real"/> is drawn from first.</summary>
    public static KidResult Compute(ReadOnlySpan<double> real, ReadOnlySpan<double> fake, int dimension,
        int subsets = MetricDefaults.KidSubsets, int subsetSize = MetricDefaults.KidSubsetSize, long seed = MetricDefaults.Seed)
    {
        var (nReal, nFake) = Kid.RequireSubsets(real.Length, fake.Length, dimension, subsets, subsetSize);
        double[] realArray = real.ToArray(), fakeArray = fake.ToArray();
        FeatureSets.RequireFinite(realArray, "real");
        FeatureSets.RequireFinite(fakeArray, "fake");
        FeatureMagnitude.Require(realArray, dimension, FeatureMagnitude.Kid, "real", "KID");
        FeatureMagnitude.Require(fakeArray, dimension, FeatureMagnitude.Kid, "fake", "KID");
        // torchmetrics' poly_kernel runs on the float32 features: a float32 GEMM and float32 kernel, float64 sums.
        return Float32Kernel(Array.ConvertAll(realArray, v => (float)v), Array.ConvertAll(fakeArray, v => (float)v), nReal, nFake, dimension, subsets, subsetSize, seed);
    }

    /// <summary>
    /// <see cref="Compute(ReadOnlySpan{double}, ReadOnlySpan{double}, int, int, int, long)"/> of float32 rows, read in
    /// place: the same checks and, bit for bit, the same result as on their float64 widening.
    /// </summary>
    internal static KidResult Compute(ReadOnlySpan<float> real, ReadOnlySpan<float> fake, int dimension, int subsets, int subsetSize, long seed)
    {
        var (nReal, nFake) = Kid.RequireSubsets(real.Length, fake.Length, dimension, subsets, subsetSize);
        FeatureSets.RequireFinite(real, "real");
        FeatureSets.RequireFinite(fake, "fake");
        FeatureMagnitude.Require(real, dimension, FeatureMagnitude.Kid, "real", "KID");
        FeatureMagnitude.Require(fake, dimension, FeatureMagnitude.Kid, "fake", "KID");
        return Float32Kernel(real, fake, nReal, nFake, dimension, subsets, subsetSize, seed);
    }

    private static KidResult Float32Kernel(ReadOnlySpan<float> real32, ReadOnlySpan<float> fake32, int nReal, int nFake, int d, int subsets, int m, long seed)
    {
        var x = new float[(long)m * d];
        var y = new float[(long)m * d];
        var values = new double[subsets];
        var draws = DrawSubsets(nReal, nFake, subsets, m, seed);
        for (int s = 0; s < subsets; s++)
        {
            Kid.GatherRows(real32, draws[s].Real, d, x);
            Kid.GatherRows(fake32, draws[s].Fake, d, y);
            values[s] = Kid.UnbiasedMmd2(x, y, m, d);
        }
        return Kid.Summarise(values);
    }

    /// <summary>The rows each subset takes: <c>randperm(n_real)[:m]</c>, then <c>randperm(n_fake)[:m]</c>, per subset.</summary>
    internal static (int[] Real, int[] Fake)[] DrawSubsets(int nReal, int nFake, int subsets, int subsetSize, long seed)
    {
        var generator = new TorchCpuGenerator(unchecked((ulong)seed));
        var draws = new (int[] Real, int[] Fake)[subsets];
        for (int s = 0; s < subsets; s++)
        {
            int[] real = generator.Randperm(nReal)[..subsetSize];
            int[] fake = generator.Randperm(nFake)[..subsetSize];
            draws[s] = (real, fake);
        }
        return draws;
    }
}
