using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenMetrics.Numerics;

/// <summary>
/// Dense matrix product <c>C += op(A)·op(B)</c> on row-major float64 or float32 arrays (GotoBLAS-style: B packed into
/// Kc-row column strips of two Vector512 where the runtime runs 512-bit vectors at full width, of two Vector256
/// elsewhere; A packed into Mc×Kc tiles of 6-row strips; one 6-row FMA micro-kernel, <see cref="ProductLanes"/>).
/// In float32 it is the arithmetic of a float32 BLAS <c>sgemm</c> (what numpy's <c>X @ Y.T</c> on float32 features
/// runs): float32 products accumulated with FMA in float32.
/// </summary>
/// <remarks>
/// Determinism: every element of C accumulates its k-terms in the same order (Kc blocks in ascending order,
/// ascending p inside a block, one fused multiply-add each, from zero, then added to C) whatever the thread count
/// and the strip width; threads only split C into disjoint row tiles, and the strip width only groups columns
/// into lanes, so both widths (and the scalar path of machines without them) give the same bits.
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
    private const int Kc = 256;
    private const int Mc = 96;
    private const int MaxStrip = 32;

    /// <summary>Whether the wide strips are used when none is asked for: where the runtime reports 512-bit vectors as accelerated.</summary>
    private static readonly bool WideByDefault = Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>Strip width of two Vector256 of T (8 float64, 16 float32 columns).</summary>
    internal static int NarrowStrip<T>() where T : unmanaged => 2 * Vector256<T>.Count;

    /// <summary>Strip width of two Vector512 of T (16 float64, 32 float32 columns).</summary>
    internal static int WideStrip<T>() where T : unmanaged => 2 * Vector512<T>.Count;

    /// <summary>The strip width used when none is asked for.</summary>
    internal static int DefaultStripWidth<T>() where T : unmanaged => WideByDefault ? WideStrip<T>() : NarrowStrip<T>();

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
    public static void MultiplyAdd<T>(
        T[] a, int aOffset, int lda, bool transA,
        T[] b, int bOffset, int ldb, bool transB,
        T[] c, int cOffset, int ldc,
        int m, int n, int k, bool upperOnly = false, int maxThreads = -1,
        TriangularStructure structure = TriangularStructure.None, int[]? bPermutation = null, bool cReplacesA = false,
        int stripWidth = 0)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Product(a, aOffset, lda, transA, b, bOffset, ldb, transB, c, cOffset, ldc, m, n, k, upperOnly, maxThreads, structure,
            bPermutation, cReplacesA, stripWidth);

    /// <summary>
    /// <see cref="MultiplyAdd{T}"/> in float64 of float64 or float32 operands: float32 A and B are widened to float64
    /// while they are packed (exactly), so the result is the bits of the float64 product of their widened copies, which
    /// are never formed.
    /// </summary>
    public static void MultiplyAddInFloat64<TSource>(
        TSource[] a, int aOffset, int lda, bool transA,
        TSource[] b, int bOffset, int ldb, bool transB,
        double[] c, int cOffset, int ldc,
        int m, int n, int k, bool upperOnly = false, int maxThreads = -1, int stripWidth = 0)
        where TSource : unmanaged, IFloatingPointIeee754<TSource> =>
        Product(a, aOffset, lda, transA, b, bOffset, ldb, transB, c, cOffset, ldc, m, n, k, upperOnly, maxThreads,
            TriangularStructure.None, null, false, stripWidth);

    private static void Product<TSource, T>(
        TSource[] a, int aOffset, int lda, bool transA,
        TSource[] b, int bOffset, int ldb, bool transB,
        T[] c, int cOffset, int ldc,
        int m, int n, int k, bool upperOnly, int maxThreads,
        TriangularStructure structure, int[]? bPermutation, bool cReplacesA, int stripWidth)
        where TSource : unmanaged, IFloatingPointIeee754<TSource>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) != typeof(double) && typeof(T) != typeof(float)) throw new NotSupportedException("the product is float64 or float32");
        int nr = stripWidth == 0 ? DefaultStripWidth<T>() : stripWidth;
        if (nr != NarrowStrip<T>() && nr != WideStrip<T>())
        {
            throw new ArgumentOutOfRangeException(nameof(stripWidth), stripWidth, $"the strip width is {NarrowStrip<T>()} or {WideStrip<T>()} columns");
        }
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
        T[] packedB = System.Buffers.ArrayPool<T>.Shared.Rent(checked(strips * nr * Math.Min(k, Kc)));
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
            System.Buffers.ArrayPool<T>.Shared.Return(packedB);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTile<TSource, T>(int tile, TSource[] a, int aOffset, int lda, bool transA, int p0, int kc,
        T[] packedB, int stripWidth, T[] c, int cOffset, int ldc, int m, int n, bool upperOnly, TriangularStructure structure,
        bool cReplacesA)
        where TSource : unmanaged, IFloatingPointIeee754<TSource>
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int i0 = tile * Mc;
        int mc = Math.Min(Mc, m - i0);
        // op(A) upper trapezoidal: rows i0.. are zero in columns < i0, so this k-block contributes nothing.
        if ((structure & TriangularStructure.AUpper) != 0 && p0 + kc <= i0) return;
        int rowStrips = (mc + Mr - 1) / Mr;
        T[] packedA = System.Buffers.ArrayPool<T>.Shared.Rent(rowStrips * Mr * kc);
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
            Span<T> scratch = stackalloc T[Mr * MaxStrip];
            fixed (T* pa = packedA, pb = packedB, pc = c)
            {
                for (int s = firstStrip; s < strips; s++)
                {
                    int j0 = s * stripWidth;
                    int nr = Math.Min(stripWidth, n - j0);
                    // op(B) lower trapezoidal (B[p, j] = 0 for p < j): the strip's columns ≥ j0 see only zeros here.
                    if ((structure & TriangularStructure.BLower) != 0 && p0 + kc <= j0) continue;
                    T* bStrip = pb + (long)s * stripWidth * kc;
                    for (int r = 0; r < rowStrips; r++)
                    {
                        int ir = i0 + r * Mr;
                        int mr = Math.Min(Mr, m - ir);
                        if (upperOnly && j0 + nr - 1 < ir) continue;
                        T* aStrip = pa + (long)r * Mr * kc;
                        T* cTile = pc + cOffset + (long)ir * ldc + j0;
                        if (mr == Mr && nr == stripWidth)
                        {
                            Kernel(aStrip, bStrip, kc, cTile, ldc, stripWidth);
                        }
                        else
                        {
                            fixed (T* ps = scratch)
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
            System.Buffers.ArrayPool<T>.Shared.Return(packedA);
        }
    }

    /// <summary>
    /// <see cref="PackB"/> split into four fixed column ranges of whole strips, packed in parallel when the block is
    /// large (a copy: the packed values do not depend on the split).
    /// </summary>
    private static void PackBInParts<TSource, T>(TSource[] b, int bOffset, int ldb, bool transB, int[]? perm, int p0, int kc, int n, int width,
        T[] packed, ParallelOptions parallel)
        where TSource : unmanaged, INumberBase<TSource>
        where T : unmanaged, INumberBase<T>
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
    private static void PackPermutedB<TSource, T>(TSource[] b, int bOffset, int ldb, int[] perm, int p0, int kc, int n, int width, T[] packed,
        int s0, int s1)
        where TSource : unmanaged, INumberBase<TSource>
        where T : unmanaged, INumberBase<T>
    {
        Span<int> columns = stackalloc int[width];
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
                for (int j = 0; j < nr; j++) packed[dst + j] = T.CreateTruncating(b[row + columns[j]]);
                for (int j = nr; j < width; j++) packed[dst + j] = default;
            }
        }
    }

    /// <summary>
    /// Packs strips [s0, s1) of op(B)[p0..p0+kc, 0..n) in strips of <paramref name="width"/> columns: strip s holds kc
    /// rows of that many values, zero padded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB<TSource, T>(TSource[] b, int bOffset, int ldb, bool transB, int p0, int kc, int n, int width, T[] packed, int s0, int s1)
        where TSource : unmanaged, INumberBase<TSource>
        where T : unmanaged, INumberBase<T>
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
                    for (int j = 0; j < nr; j++) packed[dst + j] = T.CreateTruncating(b[src + j]);
                }
                else
                {
                    for (int j = 0; j < nr; j++) packed[dst + j] = T.CreateTruncating(b[bOffset + (j0 + j) * ldb + p0 + p]);
                }
                for (int j = nr; j < width; j++) packed[dst + j] = default;
            }
        }
    }

    /// <summary>Packs op(A)[i0..i0+mc, p0..p0+kc) into strips of 6 rows: strip r holds kc columns of 6 values, zero padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA<TSource, T>(TSource[] a, int aOffset, int lda, bool transA, int i0, int mc, int p0, int kc, T[] packed)
        where TSource : unmanaged, INumberBase<TSource>
        where T : unmanaged, INumberBase<T>
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
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * Mr + i] = default;
                }
                else if (!transA)
                {
                    int src = aOffset + row * lda + p0;
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * Mr + i] = T.CreateTruncating(a[src + p]);
                }
                else
                {
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * Mr + i] = T.CreateTruncating(a[aOffset + (p0 + p) * lda + row]);
                }
            }
        }
    }

    /// <summary>C[6×width] += Apanel·Bpanel over kc terms, with the lanes of the strip width.</summary>
    private static void Kernel<T>(T* a, T* b, int kc, T* c, int ldc, int width)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool wide = width == WideStrip<T>();
        if (typeof(T) == typeof(double))
        {
            if (wide) Kernel6<double, Vector512<double>, ProductLanes.Wide64>((double*)a, (double*)b, kc, (double*)c, ldc);
            else Kernel6<double, Vector256<double>, ProductLanes.Narrow64>((double*)a, (double*)b, kc, (double*)c, ldc);
        }
        else
        {
            if (wide) Kernel6<float, Vector512<float>, ProductLanes.Wide32>((float*)a, (float*)b, kc, (float*)c, ldc);
            else Kernel6<float, Vector256<float>, ProductLanes.Narrow32>((float*)a, (float*)b, kc, (float*)c, ldc);
        }
    }

    /// <summary>
    /// C[6×2w] += Apanel·Bpanel over kc terms, w = the lanes of one vector. Each C row is two vectors (columns 0..w−1,
    /// w..2w−1); each step broadcasts one A value per row and does two FMAs. Scalar formula, which is also the path of
    /// machines without the lanes' instructions: c[i,j] += (fused chain over ascending p of a[p*6+i]·b[p*2w+j], from 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6<T, TVector, TLanes>(T* a, T* b, int kc, T* c, int ldc)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TVector : struct
        where TLanes : struct, ProductLanes.ILanes<T, TVector>
    {
        int w = TLanes.Count;
        int strip = 2 * w;
        if (!TLanes.IsSupported)
        {
            for (int i = 0; i < Mr; i++)
            {
                for (int j = 0; j < strip; j++)
                {
                    T s = T.Zero;
                    for (int p = 0; p < kc; p++) s = T.FusedMultiplyAdd(a[p * Mr + i], b[p * strip + j], s);
                    c[(long)i * ldc + j] += s;
                }
            }
            return;
        }
        if (Sse.IsSupported)
        {
            // C is touched only after the kc steps: fetch its 6 rows (one or two cache lines each) meanwhile.
            int lineElements = 64 / sizeof(T);
            for (int i = 0; i < Mr; i++)
            {
                for (int j = 0; j < strip; j += lineElements) Sse.Prefetch0(c + (long)i * ldc + j);
            }
        }
        TVector c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        TVector c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            TVector b0 = TLanes.Load(b);
            TVector b1 = TLanes.Load(b + w);
            TVector x = TLanes.Broadcast(a[0]);
            c00 = TLanes.MultiplyAdd(x, b0, c00); c01 = TLanes.MultiplyAdd(x, b1, c01);
            x = TLanes.Broadcast(a[1]);
            c10 = TLanes.MultiplyAdd(x, b0, c10); c11 = TLanes.MultiplyAdd(x, b1, c11);
            x = TLanes.Broadcast(a[2]);
            c20 = TLanes.MultiplyAdd(x, b0, c20); c21 = TLanes.MultiplyAdd(x, b1, c21);
            x = TLanes.Broadcast(a[3]);
            c30 = TLanes.MultiplyAdd(x, b0, c30); c31 = TLanes.MultiplyAdd(x, b1, c31);
            x = TLanes.Broadcast(a[4]);
            c40 = TLanes.MultiplyAdd(x, b0, c40); c41 = TLanes.MultiplyAdd(x, b1, c41);
            x = TLanes.Broadcast(a[5]);
            c50 = TLanes.MultiplyAdd(x, b0, c50); c51 = TLanes.MultiplyAdd(x, b1, c51);
            a += Mr;
            b += strip;
        }
        TLanes.AddTo(c, c00); TLanes.AddTo(c + w, c01);
        TLanes.AddTo(c + ldc, c10); TLanes.AddTo(c + ldc + w, c11);
        TLanes.AddTo(c + 2L * ldc, c20); TLanes.AddTo(c + 2L * ldc + w, c21);
        TLanes.AddTo(c + 3L * ldc, c30); TLanes.AddTo(c + 3L * ldc + w, c31);
        TLanes.AddTo(c + 4L * ldc, c40); TLanes.AddTo(c + 4L * ldc + w, c41);
        TLanes.AddTo(c + 5L * ldc, c50); TLanes.AddTo(c + 5L * ldc + w, c51);
    }
}
