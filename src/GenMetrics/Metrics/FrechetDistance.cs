using GenMetrics.Numerics;

namespace GenMetrics.Metrics;

/// <summary>Which numerical safeguard a Fréchet distance computation used.</summary>
public enum FrechetSafeguard
{
    /// <summary>No safeguard: the plain formula.</summary>
    None,

    /// <summary>
    /// pytorch-fid's retry: ε = 1e-6 added to both covariance diagonals inside the square-root term, because
    /// scipy's <c>sqrtm(Σ1·Σ2)</c> would have failed (see <see cref="FrechetDistance"/>).
    /// </summary>
    DiagonalOffset,
}

/// <summary>The Fréchet distance and how it was obtained.</summary>
/// <param name="Value">‖μ1−μ2‖² + tr Σ1 + tr Σ2 − 2·tr√(Σ1Σ2).</param>
/// <param name="TraceSqrtProduct">tr√(Σ1Σ2) as used in <paramref name="Value"/>.</param>
/// <param name="Safeguard">The safeguard used, if any.</param>
/// <param name="Rank">Numerical rank of Σ1 (or Σ1+εI) kept by the pivoted Cholesky factor.</param>
/// <param name="ClampedEigenvalues">How many tiny negative round-off eigenvalues were clamped to 0.</param>
public sealed record FrechetResult(double Value, double TraceSqrtProduct, FrechetSafeguard Safeguard, int Rank, int ClampedEigenvalues);

/// <summary>
/// Fréchet distance between two Gaussians N(μ1, Σ1), N(μ2, Σ2), in float64:
/// <c>‖μ1−μ2‖² + tr Σ1 + tr Σ2 − 2·tr√(Σ1Σ2)</c>.
/// </summary>
/// <remarks>
/// <para>
/// tr√(Σ1Σ2) is computed symmetrically: with a pivoted Cholesky factor Σ1 = PᵀUᵀUP (U: rank×d), the non-zero
/// eigenvalues of Σ1Σ2 are those of the symmetric PSD matrix M = U·(PΣ2Pᵀ)·Uᵀ, so tr√(Σ1Σ2) = Σ√λᵢ(M),
/// with tiny negative round-off eigenvalues clamped to 0. No complex arithmetic, no imaginary-part failures.
/// </para>
/// <para>
/// Reference: pytorch-fid <c>calculate_frechet_distance</c> (scipy <c>sqrtm</c>), torch-fidelity
/// (<c>Σ√eigvals(Σ1Σ2)</c>). Parity: 1e-6 relative where Σ1, Σ2 have full rank; where n &lt; d the references
/// take square roots of ~d−n rounding-noise eigenvalues (~1e-14 each), which puts their own noise floor near
/// 1e-4..1e-3 absolute, so agreement there is to about 1e-3 absolute.
/// </para>
/// <para>
/// pytorch-fid's ε retry: scipy 1.10's blocked <c>sqrtm</c> returns NaN only when its triangular recurrence
/// meets a zero denominator r_ii + r_jj = 0 with a non-zero numerator inside one diagonal block (blocks of
/// ~64). Exact zeros on the Schur diagonal come from eigenvalues that LAPACK's balancing isolates by
/// permutation: a dimension with zero variance in set 1 only gives a zero row of Σ1Σ2 (pushed to the bottom),
/// one with zero variance in set 2 only gives a zero column (pushed to the top), and such a pair couples
/// through (Σ1Σ2)[i,j] ≠ 0 — a Jordan block of eigenvalue 0, which has no square root. We therefore take the
/// ε branch exactly when both kinds of dimensions exist and the top and bottom isolated groups can share a
/// scipy block (always when d &lt; 128; at 2048-d only if the two groups together fill all but one block).
/// </para>
/// </remarks>
public static class FrechetDistance
{
    /// <summary>pytorch-fid's diagonal offset ε.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>Computes the Fréchet distance (Σ given as full d×d row-major symmetric matrices).</summary>
    public static FrechetResult Compute(ReadOnlySpan<double> mu1, ReadOnlySpan<double> sigma1,
        ReadOnlySpan<double> mu2, ReadOnlySpan<double> sigma2, int maxThreads = -1)
    {
        int d = mu1.Length;
        if (mu2.Length != d) throw new GenMetricsException($"feature dimension mismatch: {d} vs {mu2.Length}; both inputs must come from the same layer");
        if (sigma1.Length != (long)d * d || sigma2.Length != (long)d * d)
        {
            throw new GenMetricsException($"covariance size does not match the mean ({d} dims); the statistics are inconsistent");
        }
        double diffSq = 0;
        for (int i = 0; i < d; i++)
        {
            double t = mu1[i] - mu2[i];
            diffSq += t * t;
        }
        return Compute(diffSq, sigma1, sigma2, d, maxThreads);
    }

    /// <summary>Computes the distance from a precomputed ‖μ1−μ2‖² (used by protocols that form it in float32).</summary>
    public static FrechetResult Compute(double meanDistanceSquared, ReadOnlySpan<double> sigma1, ReadOnlySpan<double> sigma2,
        int d, int maxThreads = -1)
    {
        if (sigma2.Length != (long)d * d) throw new GenMetricsException($"covariance size does not match the mean ({d} dims); the statistics are inconsistent");
        return Compute(meanDistanceSquared, sigma1, sigma2.ToArray(), d, maxThreads, null);
    }

    /// <summary>
    /// <see cref="Compute(double, ReadOnlySpan{double}, ReadOnlySpan{double}, int, int)"/> with the pivoted Cholesky
    /// factor of <paramref name="sigma1"/> when already known (<see cref="PivotedCholesky.Decompose"/> of exactly
    /// sigma1, so the result is the same bits); it is not used when the ε offset applies (the factor is then of Σ1 + εI).
    /// </summary>
    /// <remarks>
    /// <paramref name="workspace"/>, when given with at least d² values, is used (and overwritten) as the d×d work matrix
    /// of the full-rank path instead of a pooled one: the caller's spare buffer, already in memory, spares the page
    /// faults of a fresh 32 MiB at d = 2048.
    /// </remarks>
    internal static FrechetResult Compute(double meanDistanceSquared, ReadOnlySpan<double> sigma1, double[] sigma2,
        int d, int maxThreads, PivotedCholesky.Factor? sigma1Factor, double[]? workspace = null)
    {
        if (sigma1.Length != (long)d * d || sigma2.Length != (long)d * d)
        {
            throw new GenMetricsException($"covariance size does not match the mean ({d} dims); the statistics are inconsistent");
        }
        double trace1 = 0, trace2 = 0;
        for (int i = 0; i < d; i++)
        {
            trace1 += sigma1[i * d + i];
            trace2 += sigma2[i * d + i];
        }
        if (!double.IsFinite(meanDistanceSquared) || !AllFinite(sigma1) || !AllFinite(sigma2))
        {
            throw new GenMetricsException("statistics contain NaN or infinity; recompute them from finite features");
        }
        bool offset = ReferenceSqrtmFails(sigma1, sigma2, d);
        double eps = offset ? Epsilon : 0;
        // The d×d work matrices come from the shared pool: fresh ones cost more in page faults (about 1.5 ms per MiB
        // on the 2-core test machine) than the arithmetic that fills them. Every one is fully written or cleared before
        // use. Without the ε offset at full rank only W is needed: Σ2 is read in the permuted order while it is packed
        // (no PΣ2Pᵀ copy) and M = W·Uᵀ replaces W in place; the results are the same bits as with the copies.
        var pool = System.Buffers.ArrayPool<double>.Shared;
        long size = (long)d * d;
        double[]? a = null, s2 = null, w = null, m = null;
        double traceSqrt = 0;
        int clamped = 0;
        int r;
        try
        {
            PivotedCholesky.Factor factor;
            if (!offset && sigma1Factor is not null && sigma1Factor.N == d)
            {
                factor = sigma1Factor;
            }
            else
            {
                a = pool.Rent((int)size);
                sigma1.CopyTo(a);
                if (offset) for (int i = 0; i < d; i++) a[i * d + i] += eps;
                factor = PivotedCholesky.Decompose(a, d, maxThreads);
            }
            r = factor.Rank;
            if (r == d && !offset)
            {
                bool useWorkspace = workspace is not null && workspace.Length >= size &&
                    !ReferenceEquals(workspace, factor.U) && !ReferenceEquals(workspace, sigma2);
                double[] product = useWorkspace ? workspace! : (w = pool.Rent((int)size));
                Array.Clear(product, 0, (int)size);
                MatrixProduct.MultiplyAdd(factor.U, 0, d, false, sigma2, 0, d, false, product, 0, d, d, d, d, maxThreads: maxThreads,
                    structure: MatrixProduct.TriangularStructure.AUpper, bPermutation: factor.Permutation);
                MatrixProduct.MultiplyAdd(product, 0, d, false, factor.U, 0, d, true, product, 0, d, d, d, d, upperOnly: true, maxThreads: maxThreads,
                    structure: MatrixProduct.TriangularStructure.BLower, cReplacesA: true);
                (traceSqrt, clamped) = SumOfSquareRoots(SymmetricEigenvalues.ComputeInPlace(product, d, maxThreads));
            }
            else if (r > 0)
            {
                s2 = pool.Rent((int)size);
                PermuteSymmetric(sigma2, factor.Permutation, eps, s2, d, maxThreads);
                w = pool.Rent(r * d);
                Array.Clear(w, 0, r * d);
                MatrixProduct.MultiplyAdd(factor.U, 0, d, false, s2, 0, d, false, w, 0, d, r, d, d, maxThreads: maxThreads,
                    structure: MatrixProduct.TriangularStructure.AUpper);
                pool.Return(s2);
                s2 = null;
                m = pool.Rent(r * r);
                Array.Clear(m, 0, r * r);
                MatrixProduct.MultiplyAdd(w, 0, d, false, factor.U, 0, d, true, m, 0, r, r, r, d, upperOnly: true, maxThreads: maxThreads,
                    structure: MatrixProduct.TriangularStructure.BLower);
                (traceSqrt, clamped) = SumOfSquareRoots(SymmetricEigenvalues.ComputeInPlace(m, r, maxThreads));
            }
        }
        finally
        {
            if (a is not null) pool.Return(a);
            if (s2 is not null) pool.Return(s2);
            if (w is not null) pool.Return(w);
            if (m is not null) pool.Return(m);
        }
        double value = meanDistanceSquared + trace1 + trace2 - 2 * traceSqrt;
        return new FrechetResult(value, traceSqrt, offset ? FrechetSafeguard.DiagonalOffset : FrechetSafeguard.None, r, clamped);
    }

    /// <summary>Σ√λ over the positive eigenvalues, and how many negative round-off eigenvalues were clamped to 0.</summary>
    private static (double TraceSqrt, int Clamped) SumOfSquareRoots(double[] eigenvalues)
    {
        double traceSqrt = 0;
        int clamped = 0;
        foreach (double lambda in eigenvalues)
        {
            if (lambda > 0) traceSqrt += Math.Sqrt(lambda);
            else if (lambda < 0) clamped++;
        }
        return (traceSqrt, clamped);
    }

    /// <summary>
    /// target = P·Σ·Pᵀ + ε·I (target[i, j] = Σ[perm[i], perm[j]]). Rows are independent copies, so they are split over
    /// threads in two fixed halves (a copy: the result does not depend on the split).
    /// </summary>
    private static unsafe void PermuteSymmetric(ReadOnlySpan<double> sigma, int[] perm, double eps, double[] target, int d, int maxThreads)
    {
        fixed (double* source = sigma)
        {
            nint address = (nint)source;
            int threads = maxThreads > 0 ? maxThreads : Environment.ProcessorCount;
            int halves = d >= 256 && threads > 1 ? 2 : 1;
            Parallel.For(0, halves, new ParallelOptions { MaxDegreeOfParallelism = threads }, h =>
            {
                var from = (double*)address;
                int start = d * h / halves, end = d * (h + 1) / halves;
                for (int i = start; i < end; i++)
                {
                    double* row = from + (long)perm[i] * d;
                    long dst = (long)i * d;
                    for (int j = 0; j < d; j++) target[dst + j] = row[perm[j]];
                    target[dst + i] += eps;
                }
            });
        }
    }

    /// <summary>
    /// Whether scipy 1.10's <c>sqrtm(Σ1·Σ2)</c> would hit a zero denominator with a non-zero numerator and return
    /// NaN (pytorch-fid then retries with ε on the diagonals). See the class remarks for the derivation.
    /// </summary>
    internal static bool ReferenceSqrtmFails(ReadOnlySpan<double> sigma1, ReadOnlySpan<double> sigma2, int d)
    {
        int zeroRows = 0;     // zero variance in set 1: zero row of Σ1Σ2 (pushed to the bottom by balancing)
        int coupledRows = 0;  // ... and non-zero variance in set 2: its column of Σ1Σ2 is non-zero
        int zeroColumns = 0;  // zero variance in set 2 only: zero column of Σ1Σ2 (pushed to the top)
        for (int i = 0; i < d; i++)
        {
            bool dead1 = IsZeroRow(sigma1, d, i);
            bool dead2 = IsZeroRow(sigma2, d, i);
            if (dead1)
            {
                zeroRows++;
                if (!dead2) coupledRows++;
            }
            else if (dead2)
            {
                zeroColumns++;
            }
        }
        if (coupledRows == 0 || zeroColumns == 0) return false;
        // scipy: nblocks = max(n // 64, 1); the first (n mod nblocks) blocks have one extra row.
        int blocks = Math.Max(d / 64, 1);
        int top = BlockOf(zeroColumns - 1, d, blocks);
        int bottom = BlockOf(d - zeroRows, d, blocks);
        return top == bottom;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite(ReadOnlySpan<double> values)
    {
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) return false;
        }
        return true;
    }

    private static int BlockOf(int position, int n, int blocks)
    {
        int small = n / blocks, large = n % blocks;
        int inLarge = large * (small + 1);
        return position < inLarge ? position / (small + 1) : large + (position - inLarge) / small;
    }

    private static bool IsZeroRow(ReadOnlySpan<double> sigma, int d, int i)
    {
        var row = sigma.Slice(i * d, d);
        foreach (double x in row) if (x != 0) return false;
        return true;
    }
}
