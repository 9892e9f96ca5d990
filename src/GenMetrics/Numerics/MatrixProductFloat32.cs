using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace GenMetrics.Numerics;

/// <summary>
/// Float32 matrix product <c>C[m×n] += A[m×k]·Bᵀ</c> with A (m×k) and B (n×k) row-major, the arithmetic of a float32
/// BLAS <c>sgemm</c> (what numpy's <c>X @ Y.T</c> on float32 features runs): float32 products accumulated with FMA
/// in float32. Same GotoBLAS layout as <see cref="MatrixProduct"/>: B packed into Kc×32 column strips with a 6×32
/// micro-kernel (each C row two Vector512&lt;float&gt;) where the runtime runs 512-bit vectors at full width, Kc×16
/// strips with a 6×16 one (two Vector256&lt;float&gt;) elsewhere; A into Mc×Kc tiles of 6-row strips.
/// </summary>
/// <remarks>
/// Determinism: every element of C accumulates its k-terms in the same order (Kc blocks ascending, ascending p
/// inside a block, each fused, from zero, then added to C) whatever the thread count and the strip width; threads
/// only split C into disjoint row tiles and the width only groups columns into lanes, so both widths give the same bits. With
/// <c>upperOnly</c> the strips entirely below the diagonal are skipped; entries below the diagonal that share a
/// strip with the diagonal may still be written, so callers must treat the strict lower triangle as undefined.
/// </remarks>
internal static unsafe class MatrixProductFloat32
{
    private const int Mr = 6;
    private const int NarrowStrip = 16;
    private const int WideStrip = 32;
    private const int Kc = 256;
    private const int Mc = 96;

    /// <summary>The strip width used when none is asked for: 32 where 512-bit vectors are accelerated, else 16.</summary>
    internal static readonly int DefaultStripWidth = Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? WideStrip : NarrowStrip;

    /// <summary><c>C[m×n] += A·Bᵀ</c>: A is m×k (row stride k), B is n×k (row stride k), C is m×n (row stride n).</summary>
    public static void MultiplyAddTransposed(float[] a, float[] b, float[] c, int m, int n, int k, bool upperOnly = false, int maxThreads = -1,
        int stripWidth = 0)
    {
        int nr = stripWidth == 0 ? DefaultStripWidth : stripWidth;
        if (nr != NarrowStrip && nr != WideStrip) throw new ArgumentOutOfRangeException(nameof(stripWidth), stripWidth, "the strip width is 16 or 32 columns");
        if (m <= 0 || n <= 0 || k <= 0) return;
        int strips = (n + nr - 1) / nr;
        float[] packedB = ArrayPool<float>.Shared.Rent(checked(strips * nr * Math.Min(k, Kc)));
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxThreads > 0 ? maxThreads : Environment.ProcessorCount };
            int tiles = (m + Mc - 1) / Mc;
            for (int p0 = 0; p0 < k; p0 += Kc)
            {
                int kc = Math.Min(Kc, k - p0);
                PackB(b, k, p0, kc, n, nr, packedB);
                int pStart = p0;
                if (tiles == 1) RunTile(0, a, k, pStart, kc, packedB, nr, c, m, n, upperOnly);
                else Parallel.For(0, tiles, parallel, t => RunTile(t, a, k, pStart, kc, packedB, nr, c, m, n, upperOnly));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedB);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTile(int tile, float[] a, int k, int p0, int kc, float[] packedB, int width, float[] c, int m, int n, bool upperOnly)
    {
        int i0 = tile * Mc;
        int mc = Math.Min(Mc, m - i0);
        int rowStrips = (mc + Mr - 1) / Mr;
        float[] packedA = ArrayPool<float>.Shared.Rent(rowStrips * Mr * kc);
        try
        {
            PackA(a, k, i0, mc, p0, kc, packedA);
            int strips = (n + width - 1) / width;
            int firstStrip = upperOnly ? i0 / width : 0;
            Span<float> scratch = stackalloc float[Mr * WideStrip];
            fixed (float* pa = packedA, pb = packedB, pc = c, ps = scratch)
            {
                for (int s = firstStrip; s < strips; s++)
                {
                    int j0 = s * width;
                    int nr = Math.Min(width, n - j0);
                    float* bStrip = pb + (long)s * width * kc;
                    for (int r = 0; r < rowStrips; r++)
                    {
                        int ir = i0 + r * Mr;
                        int mr = Math.Min(Mr, m - ir);
                        if (upperOnly && j0 + nr - 1 < ir) continue;
                        float* aStrip = pa + (long)r * Mr * kc;
                        float* cTile = pc + (long)ir * n + j0;
                        if (mr == Mr && nr == width)
                        {
                            Kernel(aStrip, bStrip, kc, cTile, n, width);
                        }
                        else
                        {
                            scratch.Clear();
                            Kernel(aStrip, bStrip, kc, ps, width, width);
                            for (int i = 0; i < mr; i++)
                            {
                                for (int j = 0; j < nr; j++) cTile[(long)i * n + j] += ps[i * width + j];
                            }
                        }
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(packedA);
        }
    }

    /// <summary>
    /// Packs Bᵀ[p0..p0+kc, 0..n) (B row j, columns p0..) into strips of <paramref name="width"/> columns: strip s holds
    /// kc rows of that many values, zero padded.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackB(float[] b, int k, int p0, int kc, int n, int width, float[] packed)
    {
        int strips = (n + width - 1) / width;
        for (int s = 0; s < strips; s++)
        {
            int j0 = s * width;
            int nr = Math.Min(width, n - j0);
            int baseIndex = s * width * kc;
            for (int j = 0; j < width; j++)
            {
                if (j < nr)
                {
                    int src = (j0 + j) * k + p0;
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * width + j] = b[src + p];
                }
                else
                {
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * width + j] = 0;
                }
            }
        }
    }

    /// <summary>Packs A[i0..i0+mc, p0..p0+kc) into strips of 6 rows: strip r holds kc columns of 6 values, zero padded.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void PackA(float[] a, int k, int i0, int mc, int p0, int kc, float[] packed)
    {
        int rowStrips = (mc + Mr - 1) / Mr;
        for (int r = 0; r < rowStrips; r++)
        {
            int baseIndex = r * Mr * kc;
            int rows = Math.Min(Mr, mc - r * Mr);
            for (int i = 0; i < Mr; i++)
            {
                if (i >= rows)
                {
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * Mr + i] = 0;
                }
                else
                {
                    int src = (i0 + r * Mr + i) * k + p0;
                    for (int p = 0; p < kc; p++) packed[baseIndex + p * Mr + i] = a[src + p];
                }
            }
        }
    }

    /// <summary>C[6×width] += Apanel·Bpanel over kc terms, with the micro-kernel of the strip width.</summary>
    private static void Kernel(float* a, float* b, int kc, float* c, int ldc, int width)
    {
        if (width == WideStrip) Kernel6x32(a, b, kc, c, ldc);
        else Kernel6x16(a, b, kc, c, ldc);
    }

    /// <summary>
    /// C[6×32] += Apanel·Bpanel over kc terms. Lanes: each C row is two Vector512&lt;float&gt; (columns 0-15, 16-31);
    /// per element the same fused float32 steps as <see cref="Kernel6x16"/>. Without AVX-512 the same in scalars.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x32(float* a, float* b, int kc, float* c, int ldc)
    {
        if (!Avx512F.IsSupported)
        {
            for (int i = 0; i < Mr; i++)
            {
                for (int j = 0; j < WideStrip; j++)
                {
                    float s = 0;
                    for (int p = 0; p < kc; p++) s = MathF.FusedMultiplyAdd(a[p * Mr + i], b[p * WideStrip + j], s);
                    c[(long)i * ldc + j] += s;
                }
            }
            return;
        }
        Vector512<float> c00 = Vector512<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        Vector512<float> c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Avx512F.LoadVector512(b);
            Vector512<float> b1 = Avx512F.LoadVector512(b + 16);
            Vector512<float> x = Vector512.Create(a[0]);
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
    /// C[6×16] += Apanel·Bpanel over kc terms. Lanes: each C row is two Vector256&lt;float&gt; (columns 0-7, 8-15);
    /// each step broadcasts one A value per row and does two FMAs. Scalar formula: c[i,j] += Σ_p a[p*6+i]·b[p*16+j]
    /// (each term fused, in ascending p, in float32).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(float* a, float* b, int kc, float* c, int ldc)
    {
        if (!Fma.IsSupported)
        {
            for (int i = 0; i < Mr; i++)
            {
                for (int j = 0; j < NarrowStrip; j++)
                {
                    float s = 0;
                    for (int p = 0; p < kc; p++) s = MathF.FusedMultiplyAdd(a[p * Mr + i], b[p * NarrowStrip + j], s);
                    c[(long)i * ldc + j] += s;
                }
            }
            return;
        }
        Vector256<float> c00 = Vector256<float>.Zero, c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        Vector256<float> c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            Vector256<float> b1 = Avx.LoadVector256(b + 8);
            Vector256<float> x = Vector256.Create(a[0]);
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

    private static void AddRow(float* c, Vector256<float> lo, Vector256<float> hi)
    {
        Avx.Store(c, Avx.Add(Avx.LoadVector256(c), lo));
        Avx.Store(c + 8, Avx.Add(Avx.LoadVector256(c + 8), hi));
    }

    private static void AddRow(float* c, Vector512<float> lo, Vector512<float> hi)
    {
        Avx512F.Store(c, Avx512F.Add(Avx512F.LoadVector512(c), lo));
        Avx512F.Store(c + 16, Avx512F.Add(Avx512F.LoadVector512(c + 16), hi));
    }
}
