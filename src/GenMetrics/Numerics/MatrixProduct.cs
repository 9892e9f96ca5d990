using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenMetrics.Numerics;

/// <summary>
/// Dense float64 matrix product <c>C += op(A)·op(B)</c> on row-major arrays (GotoBLAS-style: B packed into
/// Kc×16 column strips with a 6×16 Vector512 micro-kernel where AVX-512 runs at full width, Kc×8 strips with a 6×8
/// Vector256 micro-kernel elsewhere; A packed into Mc×Kc tiles of 6-row strips).
/// </summary>
/// <remarks>
/// Determinism: every element of C accumulates its k-terms in the same order (Kc blocks in ascending order,
/// ascending p inside a block, one fused multiply-add each, from zero, then added to C) whatever the thread count
/// and the strip width; threads only split C into disjoint row tiles, and the strip width only groups columns
/// into lanes, so both widths give the same bits.
/// With <c>upperOnly</c> the tiles lying entirely below the diagonal are skipped (for symmetric results; the
/// caller mirrors the upper triangle). Entries of skipped-tile neighbours that lie below the diagonal may
/// still be written; callers must treat the strict lower triangle as undefined.
/// </remarks>
internal static unsafe class MatrixProduct
{
    /// <summary>Known zero structure of the operands, used to skip blocks that contribute nothing.</summary>
    [Flags]
    internal enum TriangularStructure
    {
        None = 0,

        /// <summary>op(A)[i, p] = 0 for p &lt; i.</summary>
        AUpper = 1,

        /// <summary>op(B)[p, j] = 0 for p &lt; j.</summary>
        BLower = 2,
    }

    private const int Mr = 6;
    private const int NarrowStrip = 8;
    private const int WideStrip = 16;
    private const int Kc = 256;
    private const int Mc = 96;

    /// <summary>
    /// The strip width used when none is asked for: 16 columns (one 6×16 Vector512 kernel) where the runtime reports
    /// 512-bit vectors as accelerated (cores that execute them at full width), else 8.
    /// </summary>
    internal static readonly int DefaultStripWidth = Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? WideStrip : NarrowStrip;

    /// <summary>
    /// <c>C[m×n] += op(A)[m×k] · op(B)[k×n]</c>. op(A)[i,p] is <c>a[aOffset + i*lda + p]</c>, or
    /// <c>a[aOffset + p*lda + i]</c> when <paramref name="transA"/>; likewise for B.
    /// </summary>
    /// <remarks>
    /// <para>
    /// With <c>bPermutation</c> (B not transposed), op(B)[p, j] is <c>b[bOffset + perm[p]*ldb + perm[j]]</c>: B is read in the
    /// symmetric permutation P·B·Pᵀ while it is packed, so the permuted copy is never formed (same packed values, so
    /// the same result bits as multiplying by the copy).
    /// </para>
    /// <para>
    /// With <c>cReplacesA</c>, C is A's own storage (same array, offset and leading dimension, A not transposed) and the result replaces A:
    /// <c>A ← A·op(B)</c>, with C's initial content ignored. Needs <see cref="TriangularStructure.BLower"/>: column j
    /// of the product reads only columns ≥ j of A, so each k-block's columns are cleared right after that block of A
    /// is packed, and later blocks never read them again. Same arithmetic, so the same bits as a separate zeroed C.
    /// </para>
    /// </remarks>
    public static void MultiplyAdd(
        double[] a, int aOffset, int lda, bool transA,
        double[] b, int bOffset, int ldb, bool transB,
        double[] c, int cOffset, int ldc,
        int m, int n, int k, bool upperOnly = false, int maxThreads = -1,
        TriangularStructure structure = TriangularStructure.None, int[]? bPermutation = null, bool cReplacesA = false,
        int stripWidth = 0)
    {
        int nr = stripWidth == 0 ? DefaultStripWidth : stripWidth;
        if (nr != NarrowStrip && nr != WideStrip) throw new ArgumentOutOfRangeException(nameof(stripWidth), stripWidth, "the strip width is 8 or 16 columns");
        if (bPermutation is not null && (transB || bPermutation.Length < Math.Max(k, n)))
        {
            throw new ArgumentException("a permuted B must not be transposed and the permutation must cover k and n", nameof(bPermutation));
        }
        if (cReplacesA && (!ReferenceEquals(a, c) || aOffset != cOffset || lda != ldc || transA ||
            (structure & TriangularStructure.BLower) == 0 || (structure & TriangularStructure.AUpper) != 0 || n > k))
        {
            throw new ArgumentException("an in-place product needs C = A (same offset and stride, not transposed), B lower (BLower only) and n <= k", nameof(cReplacesA));
        }
        if (m <= 0 || n <= 0 || k <= 0) return;
        int strips = (n + nr - 1) / nr;
        double[] packedB = System.Buffers.ArrayPool<double>.Shared.Rent(checked(strips * nr * Math.Min(k, Kc)));
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount };
            int tiles = (m + Mc - 1) / Mc;
            for (int p0 = 0; p0 < k; p0 += Kc)
            {
                int kc = Math.Min(Kc, k - p0);
                PackBInParts(b, bOffset, ldb, transB, bPermutation, p0, kc, n, nr, packedB, parallel);
                int pStart = p0;
                if (tiles == 1)
                {
                    RunTile(0, a, aOffset, lda, transA, pStart, kc, packedB, nr, c, cOffset, ldc, m, n, upperOnly, structure, cReplacesA);
                }
                else
                {
                    Parallel.For(0, tiles, parallel, t =>
                        RunTile(t, a, aOffset, lda, transA, pStart, kc, packedB, nr, c, cOffset, ldc, m, n, upperOnly, structure, cReplacesA));
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(packedB);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTile(int tile, double[] a, int aOffset, int lda, bool transA, int p0, int kc,
        double[] packedB, int stripWidth, double[] c, int cOffset, int ldc, int m, int n, bool upperOnly, TriangularStructure structure,
        bool cReplacesA)
    {
        int i0 = tile * Mc;
        int mc = Math.Min(Mc, m - i0);
        // op(A) upper trapezoidal: rows i0.. are zero in columns < i0, so this k-block contributes nothing.
        if ((structure & TriangularStructure.AUpper) != 0 && p0 + kc <= i0) return;
        int rowStrips = (mc + Mr - 1) / Mr;
        double[] packedA = System.Buffers.ArrayPool<double>.Shared.Rent(rowStrips * Mr * kc);
        try
        {
            PackA(a, aOffset, lda, transA, i0, mc, p0, kc, packedA);
            if (cReplacesA && p0 < n)
            {
                // This block of A is packed and never read again: its columns become the result's, starting at zero.
                int width = Math.Min(kc, n - p0);
                for (int i = i0; i < i0 + mc; i++) Array.Clear(c, cOffset + i * ldc + p0, width);
            }
            int strips = (n + stripWidth - 1) / stripWidth;
            int firstStrip = upperOnly ? i0 / stripWidth : 0;
            Span<double> scratch = stackalloc double[Mr * WideStrip];
            fixed (double* pa = packedA, pb = packedB, pc = c)
            {
                for (int s = firstStrip; s < strips; s++)
                {
                    int j0 = s * stripWidth;
                    int nr = Math.Min(stripWidth, n - j0);
                    // op(B) lower trapezoidal (B[p, j] = 0 for p < j): the strip's columns ≥ j0 see only zeros here.
                    if ((structure & TriangularStructure.BLower) != 0 && p0 + kc <= j0) continue;
                    double* bStrip = pb + (long)s * stripWidth * kc;
                    for (int r = 0; r < rowStrips; r++)
                    {
                        int ir = i0 + r * Mr;
                        int mr = Math.Min(Mr, m - ir);
                        if (upperOnly && j0 + nr - 1 < ir) continue;
                        double* aStrip = pa + (long)r * Mr * kc;
                        double* cTile = pc + cOffset + (long)ir * ldc + j0;
                        if (mr == Mr && nr == stripWidth)
                        {
                            Kernel(aStrip, bStrip, kc, cTile, ldc, stripWidth);
                        }
                        else
                        {
                            fixed (double* ps = scratch)
                            {
                                scratch.Clear();
                                Kernel(aStrip, bStrip, kc, ps, stripWidth, stripWidth);
                                for (int i = 0; i < mr; i++)
                                {
                                    for (int j = 0; j < nr; j++) cTile[(long)i * ldc + j] += ps[i * stripWidth + j];
                                }
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(packedA);
        }
    }

    /// <summary>
    /// <see cref="PackB"/> split into four fixed column ranges of whole strips, packed in parallel when the block is
    /// large (a copy: the packed values do not depend on the split).
    /// </summary>
    private static void PackBInParts(double[] b, int bOffset, int ldb, bool transB, int[]? perm, int p0, int kc, int n, int width,
        double[] packed, ParallelOptions parallel)
    {
        const int Parts = 4;
        int strips = (n + width - 1) / width;
        if ((long)strips * width * kc < 1 << 16 || strips < Parts || parallel.MaxDegreeOfParallelism == 1)
        {
            if (perm is null) PackB(b, bOffset, ldb, transB, p0, kc, n, width, packed, 0, strips);
            else PackPermutedB(b, bOffset, ldb, perm, p0, kc, n, width, packed, 0, strips);
            return;
        }
        Parallel.For(0, Parts, parallel, part =>
        {
            int s0 = strips * part / Parts, s1 = strips * (part + 1) / Parts;
            if (perm is null) PackB(b, bOffset, ldb, transB, p0, kc, n, width, packed, s0, s1);
            else PackPermutedB(b, bOffset, ldb, perm, p0, kc, n, width, packed, s0, s1);
        });
    }

    /// <summary>
    /// <see cref="PackB"/> of P·B·Pᵀ: strip s, row p holds b[perm[p0 + p], perm[j0 + j]] for its columns j (zero padded).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackPermutedB(double[] b, int bOffset, int ldb, int[] perm, int p0, int kc, int n, int width, double[] packed,
        int s0, int s1)
    {
        Span<int> columns = stackalloc int[WideStrip];
        for (int s = s0; s < s1; s++)
        {
            int j0 = s * width;
            int nr = Math.Min(width, n - j0);
            for (int j = 0; j < nr; j++) columns[j] = perm[j0 + j];
            int baseIndex = s * width * kc;
            for (int p = 0; p < kc; p++)
            {
                int dst = baseIndex + p * width;
                long row = bOffset + (long)perm[p0 + p] * ldb;
                for (int j = 0; j < nr; j++) packed[dst + j] = b[row + columns[j]];
                for (int j = nr; j < width; j++) packed[dst + j] = 0;
            }
        }
    }

    /// <summary>
    /// Packs strips [s0, s1) of op(B)[p0..p0+kc, 0..n) in strips of <paramref name="width"/> columns: strip s holds kc
    /// rows of that many values, zero padded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(double[] b, int bOffset, int ldb, bool transB, int p0, int kc, int n, int width, double[] packed, int s0, int s1)
    {
        for (int s = s0; s < s1; s++)
        {
            int j0 = s * width;
            int nr = Math.Min(width, n - j0);
            int baseIndex = s * width * kc;
            for (int p = 0; p < kc; p++)
            {
                int dst = baseIndex + p * width;
                if (!transB)
                {
                    int src = bOffset + (p0 + p) * ldb + j0;
                    for (int j = 0; j < nr; j++) packed[dst + j] = b[src + j];
                }
                else
                {
                    for (int j = 0; j < nr; j++) packed[dst + j] = b[bOffset + (j0 + j) * ldb + p0 + p];
                }
                for (int j = nr; j < width; j++) packed[dst + j] = 0;
            }
        }
    }

    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc) into strips of 6 rows: strip r holds kc columns of 6 values, zero padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(double[] a, int aOffset, int lda, bool transA, int i0, int mc, int p0, int kc, double[] packed)
    {
        int rowStrips = (mc + Mr - 1) / Mr;
        for (int r = 0; r < rowStrips; r++)
        {
            int baseIndex = r * Mr * kc;
            int rows = Math.Min(Mr, mc - r * Mr);
            for (int i = 0; i < Mr; i++)
            {
                int row = i0 + r * Mr + i;
                if (i >= rows)
                {
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * Mr + i] = 0;
                }
                else if (!transA)
                {
                    int src = aOffset + row * lda + p0;
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * Mr + i] = a[src + p];
                }
                else
                {
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * Mr + i] = a[aOffset + (p0 + p) * lda + row];
                }
            }
        }
    }

    /// <summary>C[6×width] += Apanel·Bpanel over kc terms, with the micro-kernel of the strip width.</summary>
    private static void Kernel(double* a, double* b, int kc, double* c, int ldc, int width)
    {
        if (width == WideStrip) Kernel6x16(a, b, kc, c, ldc);
        else Kernel6x8(a, b, kc, c, ldc);
    }

    /// <summary>
    /// C[6×16] += Apanel·Bpanel over kc terms. Lanes: each C row is two Vector512 (columns 0-7, 8-15); each step
    /// broadcasts one A value per row and does two FMAs: per element the same fused steps as <see cref="Kernel6x8"/>.
    /// Without AVX-512 the same arithmetic in scalars: c[i,j] += fma-chain over p of a[p*6+i]·b[p*16+j], from zero.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(double* a, double* b, int kc, double* c, int ldc)
    {
        if (!Avx512F.IsSupported)
        {
            for (int i = 0; i < Mr; i++)
            {
                for (int j = 0; j < WideStrip; j++)
                {
                    double s = 0;
                    for (int p = 0; p < kc; p++) s = Math.FusedMultiplyAdd(a[p * Mr + i], b[p * WideStrip + j], s);
                    c[(long)i * ldc + j] += s;
                }
            }
            return;
        }
        // C is touched only after the kc steps: fetch its 6 rows (two cache lines each) meanwhile.
        for (int i = 0; i < Mr; i++)
        {
            Sse.Prefetch0(c + (long)i * ldc);
            Sse.Prefetch0(c + (long)i * ldc + 8);
        }
        Vector512<double> c00 = Vector512<double>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        Vector512<double> c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++)
        {
            Vector512<double> b0 = Avx512F.LoadVector512(b);
            Vector512<double> b1 = Avx512F.LoadVector512(b + 8);
            Vector512<double> x = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(x, b0, c00); c01 = Avx512F.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(x, b0, c10); c11 = Avx512F.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(x, b0, c20); c21 = Avx512F.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(x, b0, c30); c31 = Avx512F.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(x, b0, c40); c41 = Avx512F.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(x, b0, c50); c51 = Avx512F.FusedMultiplyAdd(x, b1, c51);
            a += Mr;
            b += WideStrip;
        }
        AddRow(c, c00, c01);
        AddRow(c + ldc, c10, c11);
        AddRow(c + 2L * ldc, c20, c21);
        AddRow(c + 3L * ldc, c30, c31);
        AddRow(c + 4L * ldc, c40, c41);
        AddRow(c + 5L * ldc, c50, c51);
    }

    /// <summary>
    /// C[6×8] += Apanel·Bpanel over kc terms. Lanes: each C row is two Vector256 (columns 0-3, 4-7); each step
    /// broadcasts one A value per row and does two FMAs. Scalar formula: c[i,j] += Σ_p a[p*6+i]·b[p*8+j].
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x8(double* a, double* b, int kc, double* c, int ldc)
    {
        if (!Fma.IsSupported)
        {
            for (int i = 0; i < Mr; i++)
            {
                for (int j = 0; j < NarrowStrip; j++)
                {
                    double s = 0;
                    for (int p = 0; p < kc; p++) s += a[p * Mr + i] * b[p * NarrowStrip + j];
                    c[(long)i * ldc + j] += s;
                }
            }
            return;
        }
        if (Sse.IsSupported)
        {
            // C is touched only after the kc steps: fetch its 6 rows meanwhile.
            for (int i = 0; i < Mr; i++) Sse.Prefetch0(c + (long)i * ldc);
        }
        Vector256<double> c00 = Vector256<double>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        Vector256<double> c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++)
        {
            Vector256<double> b0 = Avx.LoadVector256(b);
            Vector256<double> b1 = Avx.LoadVector256(b + 4);
            Vector256<double> x = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(x, b0, c00); c01 = Fma.MultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(x, b0, c10); c11 = Fma.MultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(x, b0, c20); c21 = Fma.MultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(x, b0, c30); c31 = Fma.MultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(x, b0, c40); c41 = Fma.MultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(x, b0, c50); c51 = Fma.MultiplyAdd(x, b1, c51);
            a += Mr;
            b += NarrowStrip;
        }
        AddRow(c, c00, c01);
        AddRow(c + ldc, c10, c11);
        AddRow(c + 2L * ldc, c20, c21);
        AddRow(c + 3L * ldc, c30, c31);
        AddRow(c + 4L * ldc, c40, c41);
        AddRow(c + 5L * ldc, c50, c51);
    }

    private static void AddRow(double* c, Vector256<double> lo, Vector256<double> hi)
    {
        Avx.Store(c, Avx.Add(Avx.LoadVector256(c), lo));
        Avx.Store(c + 4, Avx.Add(Avx.LoadVector256(c + 4), hi));
    }

    private static void AddRow(double* c, Vector512<double> lo, Vector512<double> hi)
    {
        Avx512F.Store(c, Avx512F.Add(Avx512F.LoadVector512(c), lo));
        Avx512F.Store(c + 8, Avx512F.Add(Avx512F.LoadVector512(c + 8), hi));
    }
}
