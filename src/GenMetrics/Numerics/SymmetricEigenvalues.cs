using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenMetrics.Numerics;

/// <summary>
/// Eigenvalues of a real symmetric matrix in float64: Householder reduction to tridiagonal form, then the
/// implicit QL iteration with Wilkinson shifts (no eigenvectors).
/// </summary>
/// <remarks>
/// The reduction works on the upper triangle of a row-major array and fuses each step's rank-2 update
/// <c>A ← A − v·wᵀ − w·vᵀ</c> with the next step's product <c>A·v'</c>, so the trailing matrix is streamed once
/// per step. Rows are split into a fixed number of chunks (not a function of the thread count), each with its
/// own partial result vector summed in chunk order, so results do not depend on the number of threads.
/// Backward stable: each eigenvalue is exact for a matrix within about n·ε·‖A‖ of the input.
/// </remarks>
internal static unsafe class SymmetricEigenvalues
{
    private const int ParallelThreshold = 192;
    private const int Chunks = 8;
    private const int Panel = 32;
    private const int BlockedThreshold = 160;

    /// <summary>Eigenvalues (ascending) of the symmetric n×n matrix whose upper triangle is in <paramref name="a"/> (overwritten).</summary>
    public static double[] ComputeInPlace(double[] a, int n, int maxThreads = -1)
    {
        var d = new double[n];
        var e = new double[n];
        Tridiagonalize(a, n, d, e, maxThreads);
        TridiagonalQl(d, e);
        Array.Sort(d);
        return d;
    }

    /// <summary>Reduces A (upper triangle) to tridiagonal T = QᵀAQ: diagonal d[0..n), off-diagonal e[0..n-1).</summary>
    internal static void Tridiagonalize(double[] a, int n, double[] d, double[] e, int maxThreads)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount };
        int k = 0;
        if (n > BlockedThreshold)
        {
            var w = new double[Panel * n];
            var v = new double[n];
            var y = new double[n];
            var partial = new double[Chunks * n];
            var chunkStarts = new int[Chunks + 1];
            for (; n - k > BlockedThreshold; k += Panel)
            {
                ReducePanel(a, n, k, d, e, w, v, y, partial, chunkStarts, parallel, maxThreads);
            }
        }
        TridiagonalizeUnblocked(a, n, k, d, e, parallel);
    }

    /// <summary>
    /// One panel of the blocked reduction (LAPACK dlatrd/dsytrd, lower = our upper rows): reduces rows k..k+Panel−1,
    /// keeping the reflectors V (in those rows) and W = τ·(A·v − corrections) so that the trailing matrix gets a
    /// single rank-2·Panel update <c>A ← A − V·Wᵀ − W·Vᵀ</c> through <see cref="MatrixProduct"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ReducePanel(double[] a, int n, int k, double[] d, double[] e, double[] w, double[] v, double[] y,
        double[] partial, int[] chunkStarts, ParallelOptions parallel, int maxThreads)
    {
        Array.Clear(w);
        Span<double> w2 = stackalloc double[Panel];
        Span<double> w3 = stackalloc double[Panel];
        fixed (double* pa = a, pw = w, pv = v, py = y)
        {
            double* panelV = pa + (long)k * n;
            for (int i = 0; i < Panel; i++)
            {
                int c = k + i;
                double* rowC = pa + (long)c * n;
                // Column c (our row c, entries c..n−1) gets the panel's earlier reflectors: −V·W(c,:)ᵀ − W·V(c,:)ᵀ.
                for (int p = 0; p < i; p++)
                {
                    double* rowV = panelV + (long)p * n;
                    double* rowW = pw + (long)p * n;
                    SubtractTwoScaled(rowC, rowV, rowW[c], rowW, rowV[c], c, n);
                }
                d[c] = rowC[c];
                double tau = House(a, c, n, c + 1, v, out e[c]);
                // Keep v in row c (unit first element) for the trailing update.
                rowC[c + 1] = 1;
                for (int r = c + 2; r < n; r++) rowC[r] = tau == 0 ? 0 : pv[r];
                if (tau == 0)
                {
                    // H = I: no reflector. Zero v so the panel update adds nothing for it.
                    rowC[c + 1] = 0;
                    continue;
                }
                for (int r = c + 1; r < n; r++) pv[r] = rowC[r];
                // y = A(c+1:, c+1:)·v on the not yet updated trailing matrix, then the panel corrections
                // y −= V·(Wᵀv) + W·(Vᵀv).
                FusedPass(a, n, c + 1, null, null, v, y, 1.0, partial, chunkStarts, parallel);
                for (int p = 0; p < i; p++)
                {
                    w2[p] = Dot(pw + (long)p * n, pv, c + 1, n);
                    w3[p] = Dot(panelV + (long)p * n, pv, c + 1, n);
                }
                for (int p = 0; p < i; p++)
                {
                    SubtractTwoScaled(py, panelV + (long)p * n, w2[p], pw + (long)p * n, w3[p], c + 1, n);
                }
                double dot = 0;
                for (int r = c + 1; r < n; r++)
                {
                    py[r] *= tau;
                    dot += py[r] * pv[r];
                }
                double alpha = -0.5 * tau * dot;
                double* rowWi = pw + (long)i * n;
                for (int r = c + 1; r < n; r++) rowWi[r] = py[r] + alpha * pv[r];
            }
        }
        int start = k + Panel;
        int m = n - start;
        // Trailing update A(start:, start:) −= V·Wᵀ + W·Vᵀ as one product: [V; W]ᵀ · [−W; −V] (upper triangle).
        double[] left = System.Buffers.ArrayPool<double>.Shared.Rent(2 * Panel * m);
        double[] right = System.Buffers.ArrayPool<double>.Shared.Rent(2 * Panel * m);
        for (int p = 0; p < Panel; p++)
        {
            long rowV = (long)(k + p) * n + start;
            long rowW = (long)p * n + start;
            for (int j = 0; j < m; j++)
            {
                double vv = a[rowV + j], ww = w[rowW + j];
                left[p * m + j] = vv;
                left[(Panel + p) * m + j] = ww;
                right[p * m + j] = -ww;
                right[(Panel + p) * m + j] = -vv;
            }
        }
        MatrixProduct.MultiplyAdd(left, 0, m, true, right, 0, m, false, a, start * n + start, n, m, m, 2 * Panel,
            upperOnly: true, maxThreads: maxThreads);
        System.Buffers.ArrayPool<double>.Shared.Return(left);
        System.Buffers.ArrayPool<double>.Shared.Return(right);
    }

    /// <summary>Unblocked reduction of the trailing matrix from row <paramref name="s"/> (rows above are done).</summary>
    private static void TridiagonalizeUnblocked(double[] a, int n, int s, double[] d, double[] e, ParallelOptions parallel)
    {
        int size = n - s;
        if (size <= 0) return;
        if (size == 1) { d[s] = a[(long)s * n + s]; return; }
        if (size == 2)
        {
            d[s] = a[(long)s * n + s];
            e[s] = a[(long)s * n + s + 1];
            d[s + 1] = a[(long)(s + 1) * n + s + 1];
            return;
        }
        var v = new double[n];
        var w = new double[n];
        var vNext = new double[n];
        var p = new double[n];
        var partial = new double[Chunks * n];
        var chunkStarts = new int[Chunks + 1];

        d[s] = a[(long)s * n + s];
        double tau = House(a, s, n, s + 1, v, out e[s]);
        if (tau != 0) FusedPass(a, n, s + 1, null, null, v, p, tau, partial, chunkStarts, parallel);

        for (int k = s; k <= n - 3; k++)
        {
            int m0 = k + 1;
            if (tau != 0)
            {
                double pv = 0;
                for (int i = m0; i < n; i++) pv += p[i] * v[i];
                double alpha = -0.5 * tau * pv;
                for (int i = m0; i < n; i++) w[i] = p[i] + alpha * v[i];
                UpdateRow(a, n, m0, v, w);
            }
            d[m0] = a[(long)m0 * n + m0];
            if (k + 1 <= n - 3)
            {
                double tauNext = House(a, m0, n, m0 + 1, vNext, out e[m0]);
                if (tau != 0 || tauNext != 0)
                {
                    FusedPass(a, n, m0 + 1, tau != 0 ? v : null, tau != 0 ? w : null,
                        tauNext != 0 ? vNext : null, p, tauNext, partial, chunkStarts, parallel);
                }
                (v, vNext) = (vNext, v);
                tau = tauNext;
            }
            else
            {
                if (tau != 0) UpdateRow(a, n, n - 1, v, w);
                e[n - 2] = a[(long)(n - 2) * n + n - 1];
                d[n - 1] = a[(long)(n - 1) * n + n - 1];
            }
        }
    }

    /// <summary>
    /// Householder vector for row <paramref name="row"/>, columns from..n: H·x = β·e₁ with H = I − τ·v·vᵀ,
    /// v[from] = 1 (LAPACK dlarfg convention). Returns τ (0 when the row is already reduced).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double House(double[] a, int row, int n, int from, double[] v, out double beta)
    {
        long rowBase = (long)row * n;
        double alpha = a[rowBase + from];
        double sigma = 0;
        for (int j = from + 1; j < n; j++) sigma += a[rowBase + j] * a[rowBase + j];
        if (sigma == 0)
        {
            beta = alpha;
            return 0;
        }
        double norm = Math.Sqrt(alpha * alpha + sigma);
        beta = alpha >= 0 ? -norm : norm;
        double tau = (beta - alpha) / beta;
        double scale = 1.0 / (alpha - beta);
        v[from] = 1;
        for (int j = from + 1; j < n; j++) v[j] = a[rowBase + j] * scale;
        return tau;
    }

    /// <summary>
    /// target[j] −= x[j]·fx + y[j]·fy for j in [from, n): Vector256 lanes over j (the product pair as one multiply and
    /// one fused multiply-add), the scalar tail the same expression.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SubtractTwoScaled(double* target, double* x, double fx, double* y, double fy, int from, int n)
    {
        int j = from;
        if (Fma.IsSupported)
        {
            var bx = Vector256.Create(fx);
            var by = Vector256.Create(fy);
            for (; j + 4 <= n; j += 4)
            {
                var t = Fma.MultiplyAdd(Avx.LoadVector256(y + j), by, Avx.Multiply(Avx.LoadVector256(x + j), bx));
                Avx.Store(target + j, Avx.Subtract(Avx.LoadVector256(target + j), t));
            }
        }
        for (; j < n; j++) target[j] -= Math.FusedMultiplyAdd(y[j], fy, x[j] * fx);
    }

    /// <summary>Σ_{j∈[from,n)} x[j]·y[j]: four-lane partial sums (Vector256), reduced pairwise, then the scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Dot(double* x, double* y, int from, int n)
    {
        int j = from;
        double dot = 0;
        if (Fma.IsSupported)
        {
            var acc = Vector256<double>.Zero;
            for (; j + 4 <= n; j += 4) acc = Fma.MultiplyAdd(Avx.LoadVector256(x + j), Avx.LoadVector256(y + j), acc);
            dot = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        }
        for (; j < n; j++) dot += x[j] * y[j];
        return dot;
    }

    /// <summary>Row i of the upper triangle: a[i,j] −= v_i·w_j + w_i·v_j for j ≥ i.</summary>
    private static void UpdateRow(double[] a, int n, int i, double[] v, double[] w)
    {
        long rowBase = (long)i * n;
        double vi = v[i], wi = w[i];
        for (int j = i; j < n; j++) a[rowBase + j] -= vi * w[j] + wi * v[j];
    }

    /// <summary>
    /// For rows i ≥ start: applies the pending rank-2 update (when v/w are given), then accumulates
    /// p = τ'·A·v' over the trailing block (when v' is given).
    /// </summary>
    private static void FusedPass(double[] a, int n, int start, double[]? v, double[]? w, double[]? vNext,
        double[] p, double tauNext, double[] partial, int[] chunkStarts, ParallelOptions parallel)
    {
        int size = n - start;
        int chunks = size >= ParallelThreshold ? Chunks : 1;
        // Equal-area split of the triangle: row i costs (n − i).
        double total = (double)size * (size + 1) / 2;
        chunkStarts[0] = start;
        int row = start;
        double acc = 0;
        for (int c = 1; c < chunks; c++)
        {
            double target = total * c / chunks;
            while (row < n && acc + (n - row) <= target) { acc += n - row; row++; }
            chunkStarts[c] = row;
        }
        chunkStarts[chunks] = n;

        if (chunks == 1)
        {
            RunChunk(a, n, start, n, v, w, vNext, partial, 0);
        }
        else
        {
            Parallel.For(0, chunks, parallel, c =>
                RunChunk(a, n, chunkStarts[c], chunkStarts[c + 1], v, w, vNext, partial, c * n));
        }
        if (vNext is null) return;
        // p[j] = τ'·Σ_c partial_c[j] over the chunks that start at or before j, summed in chunk order (vectorised
        // over j: chunk 0 copied, then each later chunk added from its first row on).
        var sum = p.AsSpan(start, size);
        partial.AsSpan(start, size).CopyTo(sum);
        for (int c = 1; c < chunks; c++)
        {
            int from = chunkStarts[c];
            var tail = p.AsSpan(from, n - from);
            System.Numerics.Tensors.TensorPrimitives.Add(tail, partial.AsSpan(c * n + from, n - from), tail);
        }
        System.Numerics.Tensors.TensorPrimitives.Multiply(sum, tauNext, sum);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunChunk(double[] a, int n, int rowStart, int rowEnd, double[]? v, double[]? w, double[]? vNext,
        double[] partial, int partialOffset)
    {
        if (rowStart >= rowEnd) return;
        fixed (double* pa = a, pv = v, pw = w, pn = vNext, py0 = partial)
        {
            double* py = py0 + partialOffset;
            if (vNext is not null) new Span<double>(py + rowStart, n - rowStart).Clear();
            for (int i = rowStart; i < rowEnd; i++)
            {
                double* rowPtr = pa + (long)i * n;
                if (v is null && vNext is not null && i + 3 < rowEnd && i + 4 < n)
                {
                    // Four rows per sweep: x and y are read and written once for all four. The 4×4 corner
                    // (columns i..i+3) is done in scalars, the rest by DotAndAxpyQuad.
                    double* r1 = rowPtr + n, r2 = r1 + n, r3 = r2 + n;
                    double x0 = pn[i], x1 = pn[i + 1], x2 = pn[i + 2], x3 = pn[i + 3];
                    double c0 = rowPtr[i + 1] * x1 + rowPtr[i + 2] * x2 + rowPtr[i + 3] * x3;
                    double c1 = r1[i + 2] * x2 + r1[i + 3] * x3;
                    double c2 = r2[i + 3] * x3;
                    py[i + 1] += rowPtr[i + 1] * x0;
                    py[i + 2] += rowPtr[i + 2] * x0 + r1[i + 2] * x1;
                    py[i + 3] += rowPtr[i + 3] * x0 + r1[i + 3] * x1 + r2[i + 3] * x2;
                    var (q0, q1, q2, q3) = DotAndAxpyQuad(rowPtr, pn, py, x0, x1, x2, x3, i + 4, n);
                    py[i] += rowPtr[i] * x0 + (c0 + q0);
                    py[i + 1] += r1[i + 1] * x1 + (c1 + q1);
                    py[i + 2] += r2[i + 2] * x2 + (c2 + q2);
                    py[i + 3] += r3[i + 3] * x3 + q3;
                    i += 3;
                    continue;
                }
                if (v is null && vNext is not null && i + 1 < rowEnd && i + 2 < n)
                {
                    // Two rows per sweep: x and y are read and written once for both.
                    double* row1 = rowPtr + n;
                    double x0 = pn[i], x1 = pn[i + 1];
                    double r01 = rowPtr[i + 1];
                    double dot0 = r01 * pn[i + 1];
                    py[i + 1] += r01 * x0;
                    var (d0, d1) = DotAndAxpyPair(rowPtr, row1, pn, py, x0, x1, i + 2, n);
                    py[i] += rowPtr[i] * x0 + (dot0 + d0);
                    py[i + 1] += row1[i + 1] * x1 + d1;
                    i++;
                    continue;
                }
                if (v is not null)
                {
                    double vi = pv[i], wi = pw[i];
                    rowPtr[i] -= vi * pw[i] + wi * pv[i];
                    UpdateTail(rowPtr, pv, pw, vi, wi, i + 1, n);
                }
                if (vNext is not null)
                {
                    double xi = pn[i];
                    double dot = DotAndAxpy(rowPtr, pn, py, xi, i + 1, n);
                    py[i] += rowPtr[i] * xi + dot;
                }
            }
        }
    }

    /// <summary>row[j] −= vi·w[j] + wi·v[j] for j in [from, n). Vector256 lanes over j, scalar tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateTail(double* row, double* v, double* w, double vi, double wi, int from, int n)
    {
        int j = from;
        if (Fma.IsSupported)
        {
            var bvi = Vector256.Create(vi);
            var bwi = Vector256.Create(wi);
            for (; j + 4 <= n; j += 4)
            {
                var t = Avx.Multiply(bvi, Avx.LoadVector256(w + j));
                t = Fma.MultiplyAdd(bwi, Avx.LoadVector256(v + j), t);
                Avx.Store(row + j, Avx.Subtract(Avx.LoadVector256(row + j), t));
            }
        }
        for (; j < n; j++) row[j] -= vi * w[j] + wi * v[j];
    }

    /// <summary>
    /// <see cref="DotAndAxpy"/> for the four consecutive rows starting at <paramref name="row0"/> (stride n): returns
    /// the four dots Σ row_t[j]·x[j] over [from, n) and does y[j] += Σ_t row_t[j]·x_t (t ascending). Lanes: four
    /// consecutive j; registers: four dot accumulators, four broadcast x_t.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double, double, double) DotAndAxpyQuad(double* row0, double* x, double* y,
        double x0, double x1, double x2, double x3, int from, int n)
    {
        double* row1 = row0 + n, row2 = row1 + n, row3 = row2 + n;
        int j = from;
        double dot0 = 0, dot1 = 0, dot2 = 0, dot3 = 0;
        if (Fma.IsSupported)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            var acc2 = Vector256<double>.Zero;
            var acc3 = Vector256<double>.Zero;
            var bx0 = Vector256.Create(x0);
            var bx1 = Vector256.Create(x1);
            var bx2 = Vector256.Create(x2);
            var bx3 = Vector256.Create(x3);
            for (; j + 4 <= n; j += 4)
            {
                var xv = Avx.LoadVector256(x + j);
                var r0 = Avx.LoadVector256(row0 + j);
                var r1 = Avx.LoadVector256(row1 + j);
                var r2 = Avx.LoadVector256(row2 + j);
                var r3 = Avx.LoadVector256(row3 + j);
                acc0 = Fma.MultiplyAdd(r0, xv, acc0);
                acc1 = Fma.MultiplyAdd(r1, xv, acc1);
                acc2 = Fma.MultiplyAdd(r2, xv, acc2);
                acc3 = Fma.MultiplyAdd(r3, xv, acc3);
                var yv = Fma.MultiplyAdd(r0, bx0, Avx.LoadVector256(y + j));
                yv = Fma.MultiplyAdd(r1, bx1, yv);
                yv = Fma.MultiplyAdd(r2, bx2, yv);
                Avx.Store(y + j, Fma.MultiplyAdd(r3, bx3, yv));
            }
            dot0 = (acc0.GetElement(0) + acc0.GetElement(1)) + (acc0.GetElement(2) + acc0.GetElement(3));
            dot1 = (acc1.GetElement(0) + acc1.GetElement(1)) + (acc1.GetElement(2) + acc1.GetElement(3));
            dot2 = (acc2.GetElement(0) + acc2.GetElement(1)) + (acc2.GetElement(2) + acc2.GetElement(3));
            dot3 = (acc3.GetElement(0) + acc3.GetElement(1)) + (acc3.GetElement(2) + acc3.GetElement(3));
        }
        for (; j < n; j++)
        {
            double xj = x[j];
            dot0 += row0[j] * xj;
            dot1 += row1[j] * xj;
            dot2 += row2[j] * xj;
            dot3 += row3[j] * xj;
            y[j] += row0[j] * x0;
            y[j] += row1[j] * x1;
            y[j] += row2[j] * x2;
            y[j] += row3[j] * x3;
        }
        return (dot0, dot1, dot2, dot3);
    }

    /// <summary>
    /// <see cref="DotAndAxpy"/> for two rows at once: returns (Σ row0[j]·x[j], Σ row1[j]·x[j]) over [from, n) and
    /// does y[j] += row0[j]·x0, then y[j] += row1[j]·x1 (the same order as two single-row calls).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (double, double) DotAndAxpyPair(double* row0, double* row1, double* x, double* y, double x0, double x1,
        int from, int n)
    {
        int j = from;
        double dot0 = 0, dot1 = 0;
        if (Fma.IsSupported)
        {
            var acc0 = Vector256<double>.Zero;
            var acc1 = Vector256<double>.Zero;
            var bx0 = Vector256.Create(x0);
            var bx1 = Vector256.Create(x1);
            for (; j + 4 <= n; j += 4)
            {
                var xv = Avx.LoadVector256(x + j);
                var r0 = Avx.LoadVector256(row0 + j);
                var r1 = Avx.LoadVector256(row1 + j);
                acc0 = Fma.MultiplyAdd(r0, xv, acc0);
                acc1 = Fma.MultiplyAdd(r1, xv, acc1);
                Avx.Store(y + j, Fma.MultiplyAdd(r1, bx1, Fma.MultiplyAdd(r0, bx0, Avx.LoadVector256(y + j))));
            }
            dot0 = (acc0.GetElement(0) + acc0.GetElement(1)) + (acc0.GetElement(2) + acc0.GetElement(3));
            dot1 = (acc1.GetElement(0) + acc1.GetElement(1)) + (acc1.GetElement(2) + acc1.GetElement(3));
        }
        for (; j < n; j++)
        {
            dot0 += row0[j] * x[j];
            dot1 += row1[j] * x[j];
            y[j] += row0[j] * x0;
            y[j] += row1[j] * x1;
        }
        return (dot0, dot1);
    }

    /// <summary>
    /// Returns Σ_{j∈[from,n)} row[j]·x[j] and does y[j] += row[j]·xi (the two halves of a symmetric
    /// matrix-vector product from one row of the upper triangle). Four-lane partial dot sums, reduced at the end.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double DotAndAxpy(double* row, double* x, double* y, double xi, int from, int n)
    {
        int j = from;
        double dot = 0;
        if (Fma.IsSupported)
        {
            var acc = Vector256<double>.Zero;
            var bxi = Vector256.Create(xi);
            for (; j + 4 <= n; j += 4)
            {
                var r = Avx.LoadVector256(row + j);
                acc = Fma.MultiplyAdd(r, Avx.LoadVector256(x + j), acc);
                Avx.Store(y + j, Fma.MultiplyAdd(r, bxi, Avx.LoadVector256(y + j)));
            }
            dot = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        }
        for (; j < n; j++)
        {
            dot += row[j] * x[j];
            y[j] += row[j] * xi;
        }
        return dot;
    }

    /// <summary>
    /// Eigenvalues of the symmetric tridiagonal matrix (d diagonal, e[i] coupling i and i+1) by the root-free
    /// implicit QL method of Pal, Walker and Kahan (LAPACK dsterf's QL sweep): it works on the squared couplings, so a
    /// rotation costs two divisions and no square root. Wilkinson-type shift from the leading 2×2; 2×2 blocks are
    /// solved directly (LAPACK dlae2). d is overwritten (unsorted); e is left unchanged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void TridiagonalQl(double[] d, double[] e)
    {
        int n = d.Length;
        if (n == 0) return;
        // Deflation when a coupling is below ε·sqrt|d_m·d_{m+1}| (dsterf's relative test) or below ε·‖T‖ (LAPACK's
        // norm-wise criterion): the relative test alone never fires between eigenvalues that are zero in exact
        // arithmetic (a covariance of rank n − 1 < d), where the couplings only shrink towards underflow.
        double eps = Math.BitIncrement(1.0) - 1.0;
        double eps2 = eps * eps;
        double norm = 0;
        for (int i = 0; i < n; i++) norm = Math.Max(norm, Math.Abs(d[i]) + (i < n - 1 ? Math.Abs(e[i]) : 0));
        double negligible2 = norm * eps * (norm * eps);
        var e2 = new double[n];
        for (int i = 0; i < n - 1; i++) e2[i] = e[i] * e[i];
        int l = 0, iter = 0;
        while (l < n)
        {
            int m = l;
            for (; m < n - 1; m++)
            {
                if (e2[m] <= eps2 * Math.Abs(d[m] * d[m + 1]) || e2[m] <= negligible2) break;
            }
            if (m == l)
            {
                l++;
                iter = 0;
                continue;
            }
            if (m == l + 1)
            {
                (d[l], d[l + 1]) = Eigenvalues2x2(d[l], Math.Sqrt(e2[l]), d[l + 1]);
                e2[l] = 0;
                l += 2;
                iter = 0;
                continue;
            }
            if (iter++ == 200) throw new InvalidOperationException("tridiagonal QL did not converge");
            // Shift: the eigenvalue of the leading 2×2 closer to d[l].
            double rte = Math.Sqrt(e2[l]);
            double sigma = (d[l + 1] - d[l]) / (2.0 * rte);
            double r = Hypot(sigma, 1.0);
            sigma = d[l] - rte / (sigma + (sigma >= 0 ? r : -r));
            double c = 1, s = 0, gamma = d[m] - sigma, p = gamma * gamma;
            for (int i = m - 1; i >= l; i--)
            {
                double bb = e2[i];
                double rr = p + bb;
                if (i != m - 1) e2[i + 1] = s * rr;
                double oldc = c;
                c = p / rr;
                s = bb / rr;
                double oldgam = gamma;
                double alpha = d[i];
                gamma = c * (alpha - sigma) - s * oldgam;
                d[i + 1] = oldgam + (alpha - gamma);
                p = c != 0 ? gamma * gamma / c : oldc * bb;
            }
            e2[l] = s * p;
            d[l] = sigma + gamma;
        }
    }

    /// <summary>Eigenvalues of [[a, b], [b, c]] (LAPACK dlae2: the larger-magnitude one first, the other from the determinant).</summary>
    private static (double, double) Eigenvalues2x2(double a, double b, double c)
    {
        double sm = a + c, adf = Math.Abs(a - c), ab = Math.Abs(b + b);
        double acmx = Math.Abs(a) > Math.Abs(c) ? a : c;
        double acmn = Math.Abs(a) > Math.Abs(c) ? c : a;
        double rt = adf > ab ? adf * Math.Sqrt(1 + (ab / adf) * (ab / adf))
            : adf < ab ? ab * Math.Sqrt(1 + (adf / ab) * (adf / ab))
            : ab * Math.Sqrt(2.0);
        if (sm == 0) return (0.5 * rt, -0.5 * rt);
        double rt1 = sm < 0 ? 0.5 * (sm - rt) : 0.5 * (sm + rt);
        return (rt1, acmx / rt1 * acmn - b / rt1 * b);
    }

    private static double Hypot(double a, double b)
    {
        double x = Math.Abs(a), y = Math.Abs(b);
        if (x < y) (x, y) = (y, x);
        if (x == 0) return 0;
        double t = y / x;
        return x * Math.Sqrt(1 + t * t);
    }
}
