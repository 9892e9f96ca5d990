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

    /// <summary>Factors the symmetric matrix whose upper triangle is in <paramref name="a"/> (n×n, overwritten; it becomes U).</summary>
    public static Factor Decompose(double[] a, int n, int maxThreads = -1)
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
        int rank = n;
        bool stopped = false;
        for (int p0 = 0; p0 < n && !stopped; p0 += Panel)
        {
            int p1 = Math.Min(n, p0 + Panel);
            for (int k = p0; k < p1; k++)
            {
                int q = k;
                for (int j = k + 1; j < n; j++) if (diag[j] > diag[q]) q = j;
                if (!(diag[q] > tol))
                {
                    rank = k;
                    stopped = true;
                    break;
                }
                if (q != k) SwapSymmetric(a, n, k, q, perm, diag);
                long rowK = (long)k * n;
                for (int p = p0; p < k; p++)
                {
                    long rowP = (long)p * n;
                    double f = a[rowP + k];
                    if (f == 0) continue;
                    for (int j = k; j < n; j++) a[rowK + j] -= f * a[rowP + j];
                }
                double pivot = a[rowK + k];
                if (!(pivot > tol))
                {
                    rank = k;
                    stopped = true;
                    break;
                }
                double ukk = Math.Sqrt(pivot);
                a[rowK + k] = ukk;
                double inv = 1.0 / ukk;
                for (int j = k + 1; j < n; j++)
                {
                    double ukj = a[rowK + j] * inv;
                    a[rowK + j] = ukj;
                    diag[j] -= ukj * ukj;
                }
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
        // U is the first rank rows of a itself (no copy): clear their strict lower triangle.
        for (int r = 1; r < rank; r++) Array.Clear(a, r * n, r);
        return new Factor(a, perm, rank, n);
    }

    /// <summary>
    /// Swaps index k and q (k &lt; q) of the symmetric matrix kept in the upper triangle (rows ≥ k), the
    /// already computed U columns of rows above k, the permutation and the running diagonal.
    /// </summary>
    private static void SwapSymmetric(double[] a, int n, int k, int q, int[] perm, double[] diag)
    {
        (perm[k], perm[q]) = (perm[q], perm[k]);
        (diag[k], diag[q]) = (diag[q], diag[k]);
        for (int p = 0; p < k; p++)
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
}
