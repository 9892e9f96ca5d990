using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenMetrics.Numerics;

/// <summary>
/// Cholesky factorisation with symmetric (diagonal) pivoting of a positive semi-definite matrix:
/// <c>P·A·Pᵀ = Uᵀ·U</c> with U upper trapezoidal (rank × n), stopping when the largest remaining diagonal
/// falls below a tolerance (LAPACK dpstrf's rule: n·ε·max diag).
/// </summary>
/// <remarks>
/// Blocked right-looking: inside a panel of 64 rows each row gets the panel's earlier rows subtracted and the
/// pivot is chosen from the running diagonal; after the panel the trailing upper triangle receives one
/// rank-64 update through <see cref="MatrixProduct"/>. Storage is the upper triangle of a row-major array.
/// </remarks>
internal static class PivotedCholesky
{
    private const int Panel = 64;

    /// <summary>
    /// The factor U (the first rank rows of <c>U</c>, row-major with stride n, zeros left of the diagonal; rows from
    /// rank on are undefined), the permutation and the rank.
    /// </summary>
    internal sealed record Factor(double[] U, int[] Permutation, int Rank, int N);

    /// <summary>
    /// Factors the symmetric matrix whose upper triangle is in <paramref name="a"/> (n×n, overwritten; it becomes U).
    /// Without <paramref name="pivot"/> the diagonal order is kept (the permutation is the identity) and the
    /// factorisation still stops at the first pivot below the tolerance: a plain Cholesky, for callers that only
    /// need to know whether it runs to full rank.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static Factor Decompose(double[] a, int n, int maxThreads = -1, bool pivot = true)
    {
        var perm = new int[n];
        for (int i = 0; i < n; i++) perm[i] = i;
        var diag = new double[n];
        double maxDiag = 0;
        for (int i = 0; i < n; i++)
        {
            diag[i] = a[(long)i * n + i];
            maxDiag = Math.Max(maxDiag, diag[i]);
        }
        double tol = n * Math.ScaleB(1.0, -52) * maxDiag;
        // pivotOf[k]: the index swapped with k at step k (k itself when none); steps is how many steps swapped.
        var pivotOf = new int[n];
        int steps = 0;
        int rank = n;
        bool stopped = false;
        for (int p0 = 0; p0 < n && !stopped; p0 += Panel)
        {
            int p1 = Math.Min(n, p0 + Panel);
            for (int k = p0; k < p1; k++)
            {
                int q = k;
                if (pivot) for (int j = k + 1; j < n; j++) if (diag[j] > diag[q]) q = j;
                if (!(diag[q] > tol))
                {
                    rank = k;
                    stopped = true;
                    break;
                }
                pivotOf[k] = q;
                steps = k + 1;
                if (q != k) SwapSymmetric(a, n, k, q, p0, perm, diag);
                long rowK = (long)k * n;
                SubtractPanelRows(a, n, p0, k);
                double pivotValue = a[rowK + k];
                if (!(pivotValue > tol))
                {
                    rank = k;
                    stopped = true;
                    break;
                }
                double ukk = Math.Sqrt(pivotValue);
                a[rowK + k] = ukk;
                ScaleRowAndDowndateDiagonal(a, n, k, 1.0 / ukk, diag);
            }
            if (!stopped && p1 < n)
            {
                // Trailing update: A[p1.., p1..] −= U[p0..p1, p1..]ᵀ · U[p0..p1, p1..] (upper triangle only).
                int rest = n - p1;
                int width = p1 - p0;
                // Only the negated left operand is copied (pooled); the right operand is read in place (rows p0..p1
                // lie above the updated block).
                double[] panel = System.Buffers.ArrayPool<double>.Shared.Rent(width * rest);
                try
                {
                    for (int r = 0; r < width; r++)
                    {
                        long src = (long)(p0 + r) * n + p1;
                        for (int j = 0; j < rest; j++) panel[r * rest + j] = -a[src + j];
                    }
                    MatrixProduct.MultiplyAdd(panel, 0, rest, true, a, p0 * n + p1, n, false,
                        a, p1 * n + p1, n, rest, rest, width, upperOnly: true, maxThreads: maxThreads);
                }
                finally
                {
                    System.Buffers.ArrayPool<double>.Shared.Return(panel);
                }
                for (int j = p1; j < n; j++) diag[j] = a[(long)j * n + j];
            }
        }
        ApplyDeferredColumnSwaps(a, n, rank, pivotOf, steps);
        // U is the first rank rows of a itself (no copy): clear their strict lower triangle.
        for (int r = 1; r < rank; r++) Array.Clear(a, r * n, r);
        return new Factor(a, perm, rank, n);
    }

    /// <summary>
    /// Row k, columns k..n: a[k, j] −= Σ_{p=p0}^{k−1} a[p, k]·a[p, j], the panel's earlier rows applied in ascending p
    /// (one fused multiply-subtract each). Four rows p are applied per sweep over j, so row k is loaded and stored
    /// once per four; lanes are four consecutive j (Vector256), with a scalar tail doing the same operations.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SubtractPanelRows(double[] a, int n, int p0, int k)
    {
        fixed (double* pa = a)
        {
            double* rowK = pa + (long)k * n;
            int p = p0;
            for (; p + 4 <= k; p += 4)
            {
                double* r0 = pa + (long)p * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
                double f0 = r0[k], f1 = r1[k], f2 = r2[k], f3 = r3[k];
                int j = k;
                if (Fma.IsSupported)
                {
                    Vector256<double> b0 = Vector256.Create(f0), b1 = Vector256.Create(f1);
                    Vector256<double> b2 = Vector256.Create(f2), b3 = Vector256.Create(f3);
                    for (; j + 4 <= n; j += 4)
                    {
                        var t = Avx.LoadVector256(rowK + j);
                        t = Fma.MultiplyAddNegated(b0, Avx.LoadVector256(r0 + j), t);
                        t = Fma.MultiplyAddNegated(b1, Avx.LoadVector256(r1 + j), t);
                        t = Fma.MultiplyAddNegated(b2, Avx.LoadVector256(r2 + j), t);
                        t = Fma.MultiplyAddNegated(b3, Avx.LoadVector256(r3 + j), t);
                        Avx.Store(rowK + j, t);
                    }
                }
                for (; j < n; j++)
                {
                    double t = rowK[j];
                    t = Math.FusedMultiplyAdd(-f0, r0[j], t);
                    t = Math.FusedMultiplyAdd(-f1, r1[j], t);
                    t = Math.FusedMultiplyAdd(-f2, r2[j], t);
                    t = Math.FusedMultiplyAdd(-f3, r3[j], t);
                    rowK[j] = t;
                }
            }
            for (; p < k; p++)
            {
                double* r0 = pa + (long)p * n;
                double f0 = r0[k];
                int j = k;
                if (Fma.IsSupported)
                {
                    Vector256<double> b0 = Vector256.Create(f0);
                    for (; j + 4 <= n; j += 4)
                    {
                        Avx.Store(rowK + j, Fma.MultiplyAddNegated(b0, Avx.LoadVector256(r0 + j), Avx.LoadVector256(rowK + j)));
                    }
                }
                for (; j < n; j++) rowK[j] = Math.FusedMultiplyAdd(-f0, r0[j], rowK[j]);
            }
        }
    }

    /// <summary>Row k, columns k+1..n: u[k, j] = a[k, j]·inv and diag[j] −= u[k, j]² (Vector256 lanes over j, scalar tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void ScaleRowAndDowndateDiagonal(double[] a, int n, int k, double inv, double[] diag)
    {
        fixed (double* pa = a, pd = diag)
        {
            double* rowK = pa + (long)k * n;
            int j = k + 1;
            if (Fma.IsSupported)
            {
                var scale = Vector256.Create(inv);
                for (; j + 4 <= n; j += 4)
                {
                    var u = Avx.Multiply(Avx.LoadVector256(rowK + j), scale);
                    Avx.Store(rowK + j, u);
                    Avx.Store(pd + j, Fma.MultiplyAddNegated(u, u, Avx.LoadVector256(pd + j)));
                }
            }
            for (; j < n; j++)
            {
                double u = rowK[j] * inv;
                rowK[j] = u;
                pd[j] = Math.FusedMultiplyAdd(-u, u, pd[j]);
            }
        }
    }

    /// <summary>
    /// Swaps index k and q (k &lt; q) of the symmetric matrix kept in the upper triangle (rows ≥ k), the
    /// U columns of the current panel's rows p0..k−1, the permutation and the running diagonal. The U columns of
    /// earlier panels' rows are not read again during the factorisation; <see cref="ApplyDeferredColumnSwaps"/>
    /// swaps them at the end, row by row (contiguous), instead of here column by column (one page per row).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SwapSymmetric(double[] a, int n, int k, int q, int p0, int[] perm, double[] diag)
    {
        (perm[k], perm[q]) = (perm[q], perm[k]);
        (diag[k], diag[q]) = (diag[q], diag[k]);
        for (int p = p0; p < k; p++)
        {
            long row = (long)p * n;
            (a[row + k], a[row + q]) = (a[row + q], a[row + k]);
        }
        long rk = (long)k * n, rq = (long)q * n;
        (a[rk + k], a[rq + q]) = (a[rq + q], a[rk + k]);
        for (int j = k + 1; j < q; j++)
        {
            // (k, j) in the upper triangle pairs with (j, q).
            (a[rk + j], a[(long)j * n + q]) = (a[(long)j * n + q], a[rk + j]);
        }
        for (int j = q + 1; j < n; j++) (a[rk + j], a[rq + j]) = (a[rq + j], a[rk + j]);
    }

    /// <summary>
    /// The column swaps <see cref="SwapSymmetric"/> left out: each row of U below rank gets, in step order, the
    /// swaps of the steps after its own panel. Same data movement as swapping at once, so U is unchanged bit for bit.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ApplyDeferredColumnSwaps(double[] a, int n, int rank, int[] pivotOf, int steps)
    {
        for (int p0 = 0; p0 < rank; p0 += Panel)
        {
            int p1 = Math.Min(n, p0 + Panel);
            int rowEnd = Math.Min(p1, rank);
            for (int row = p0; row < rowEnd; row++)
            {
                long rowBase = (long)row * n;
                for (int k = p1; k < steps; k++)
                {
                    int q = pivotOf[k];
                    if (q != k) (a[rowBase + k], a[rowBase + q]) = (a[rowBase + q], a[rowBase + k]);
                }
            }
        }
    }
}
