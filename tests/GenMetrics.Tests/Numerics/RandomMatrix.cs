namespace GenMetrics.Tests.Numerics;

/// <summary>Seeded uniform values in [−1, 1) for the kernel tests (System.Random, so each seed gives fixed values).</summary>
internal static class RandomMatrix
{
    public static double[] Uniform(int count, int seed)
    {
        var rng = new Random(seed);
        var x = new double[count];
        for (int i = 0; i < x.Length; i++) x[i] = rng.NextDouble() * 2 - 1;
        return x;
    }

    /// <summary>The same values rounded to float32.</summary>
    public static float[] UniformSingle(int count, int seed) => Array.ConvertAll(Uniform(count, seed), v => (float)v);
}
