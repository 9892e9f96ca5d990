namespace GenMetrics.Metrics;

/// <summary>
/// Where each fake sample lies relative to the real k-NN manifold, recorded in the same pass over the real×fake
/// distances that counts precision/recall and density/coverage: its nearest real samples and its manifold ratio.
/// </summary>
/// <remarks>
/// The manifold ratio of fake f is min over real r of d(f, r) / radius_k(r), with radius_k(r) the distance
/// from r to its k-th nearest other real sample as <see cref="Convention"/> computes it (float32 for
/// torch-fidelity) and d the float64 Euclidean distance in feature space (sklearn's formula). A ratio above 1
/// means f lies outside every real k-NN ball, so precision does not count it (up to float32 rounding of the
/// distance under torch-fidelity's convention; <see cref="InsideRealManifold"/> is exactly the membership precision
/// counts); a ratio of 0.5 means f is inside some real ball at half its radius. Ties between equally near real
/// samples go to the smaller index, so the result does not depend on the thread count or block size.
/// </remarks>
public sealed class FakeManifoldNeighbours
{
    private readonly int[] _nearestIndex;
    private readonly double[] _nearestDistance;
    private readonly double[] _ratio;
    private readonly bool[] _inside;

    internal FakeManifoldNeighbours(int k, NeighbourhoodConvention convention, int perFake, int[] nearestIndex, double[] nearestDistance,
        double[] ratio, bool[] inside)
    {
        K = k;
        Convention = convention;
        PerFake = perFake;
        _nearestIndex = nearestIndex;
        _nearestDistance = nearestDistance;
        _ratio = ratio;
        _inside = inside;
    }

    /// <summary>The k of the real radii behind <see cref="ManifoldRatio"/> (precision's k when it was computed, else density's).</summary>
    public int K { get; }

    /// <summary>The distance convention of the radii and the ratio.</summary>
    public NeighbourhoodConvention Convention { get; }

    /// <summary>How many nearest real samples are recorded per fake sample.</summary>
    public int PerFake { get; }

    /// <summary>Number of fake samples.</summary>
    public int FakeCount => _ratio.Length;

    /// <summary>min over real r of d(f, r) / radius_k(r) for fake sample <paramref name="fake"/> (0 when f coincides with a real sample).</summary>
    public double ManifoldRatio(int fake) => _ratio[fake];

    /// <summary>Whether fake sample <paramref name="fake"/> lies in at least one real k-NN ball (the membership precision counts).</summary>
    public bool InsideRealManifold(int fake) => _inside[fake];

    /// <summary>Row indices of the <see cref="PerFake"/> real samples nearest to fake sample <paramref name="fake"/>, nearest first.</summary>
    public ReadOnlySpan<int> NearestReal(int fake) => _nearestIndex.AsSpan(fake * PerFake, PerFake);

    /// <summary>Their float64 Euclidean distances, ascending.</summary>
    public ReadOnlySpan<double> NearestRealDistance(int fake) => _nearestDistance.AsSpan(fake * PerFake, PerFake);
}
