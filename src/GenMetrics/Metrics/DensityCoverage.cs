namespace GenMetrics.Metrics;

/// <summary>Density and coverage.</summary>
/// <param name="Density">(1/k)·mean over fake samples of the number of real k-NN balls containing them.</param>
/// <param name="Coverage">Fraction of real samples whose nearest fake sample lies inside their k-NN ball.</param>
public sealed record DensityCoverageResult(double Density, double Coverage);

/// <summary>
/// Density/coverage of Naeem et al. 2020 exactly as prdc's <c>compute_prdc</c>: k = 5 by default, radii =
/// (k+1)-th smallest float64 distance within the real set, strict <c>&lt;</c>,
/// density = (1/k)·(Σ counts / n_fake), coverage = mean(min_j d(real_i, fake_j) &lt; r_i).
/// </summary>
/// <remarks>Distances are computed in row blocks (bounded memory, both cores). Parity: exact.</remarks>
public static class DensityCoverage
{
    /// <summary>Computes density and coverage; <paramref name="real"/> and <paramref name="fake"/> are n×d row-major.</summary>
    public static DensityCoverageResult Compute(double[] real, double[] fake, int dimension, int k = MetricDefaults.DensityCoverageK, int maxThreads = -1)
    {
        var (nReal, nFake) = FeatureSets.Validate(real, fake, dimension);
        var c = KNearestManifolds.Evaluate(real, nReal, fake, nFake, dimension, [new KNearestManifolds.Request(k, NeighbourhoodConvention.Prdc)], maxThreads)[0];
        return FromCounts(c, k);
    }

    internal static DensityCoverageResult FromCounts(KNearestManifolds.Counts c, int k) =>
        new(1.0 / k * ((double)c.FakeBallMemberships / c.NFake), (double)c.CoveredReal / c.NReal);
}
