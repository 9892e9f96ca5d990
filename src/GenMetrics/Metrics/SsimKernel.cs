using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GenMetrics.Metrics;

/// <summary>
/// The SSIM map of one channel over the valid region (every window fully inside the image), summed in a fixed
/// order: separable float64 filtering of x, y, x², y², xy with Vector256 over columns.
/// </summary>
/// <remarks>
/// scikit-image filters with 'reflect' padding and then crops (win−1)/2 pixels from every border; the kept pixels
/// see no padding, so the valid region is exactly skimage's cropped map (and pytorch-msssim's valid convolution).
/// Per pixel: μ = w∗x, σx² = k·(w∗x² − μx²), σxy = k·(w∗xy − μxμy) (k the covariance norm),
/// l = (2μxμy + C1)/(μx² + μy² + C1), cs = (2σxy + C2)/(σx² + σy² + C2), ssim = l·cs.
/// Vector code: 4 doubles per lane group, columns j..j+3; the remainder columns take the same scalar formula;
/// no fused multiply-add, so vector and scalar paths round identically. Row sums are added in row order, so the
/// result does not depend on threads.
/// </remarks>
internal static class SsimKernel
{
    /// <summary>Sums of the SSIM and contrast-structure maps over the valid region, and the pixel count.</summary>
    public readonly record struct MapSums(double Ssim, double ContrastStructure, long Count)
    {
        public double MeanSsim => Ssim / Count;

        public double MeanContrastStructure => ContrastStructure / Count;
    }

    public static MapSums Compute(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int width, int height,
        SsimWindowWeights window, double c1, double c2)
    {
        int size = window.Size;
        int outWidth = width - size + 1, outHeight = height - size + 1;
        if (outWidth <= 0 || outHeight <= 0) throw new ArgumentException("image smaller than the window");
        var taps = window.Taps;
        double k = window.CovarianceNorm;
        var columns = new double[5 * width];
        var mx = columns.AsSpan(0, width);
        var my = columns.AsSpan(width, width);
        var mxx = columns.AsSpan(2 * width, width);
        var myy = columns.AsSpan(3 * width, width);
        var mxy = columns.AsSpan(4 * width, width);
        double ssimSum = 0, csSum = 0;
        for (int r = 0; r < outHeight; r++)
        {
            FilterColumns(x, y, width, r, taps, mx, my, mxx, myy, mxy);
            var (s, cs) = FilterRowAndScore(mx, my, mxx, myy, mxy, outWidth, taps, k, c1, c2);
            ssimSum += s;
            csSum += cs;
        }
        return new MapSums(ssimSum, csSum, (long)outWidth * outHeight);
    }

    /// <summary>Vertical pass for output row <paramref name="r"/>: m*[j] = Σk w[k]·f(x, y)[(r+k), j] for every column.</summary>
    private static void FilterColumns(ReadOnlySpan<double> x, ReadOnlySpan<double> y, int width, int r, double[] taps,
        Span<double> mx, Span<double> my, Span<double> mxx, Span<double> myy, Span<double> mxy)
    {
        ref double xr = ref MemoryMarshal.GetReference(x);
        ref double yr = ref MemoryMarshal.GetReference(y);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; j <= width - 4; j += 4)
            {
                Vector256<double> ax = default, ay = default, axx = default, ayy = default, axy = default;
                for (int t = 0; t < taps.Length; t++)
                {
                    nuint offset = (nuint)((r + t) * width + j);
                    var xv = Vector256.LoadUnsafe(ref xr, offset);
                    var yv = Vector256.LoadUnsafe(ref yr, offset);
                    var w = Vector256.Create(taps[t]);
                    var wx = w * xv;
                    var wy = w * yv;
                    ax += wx;
                    ay += wy;
                    axx += wx * xv;
                    ayy += wy * yv;
                    axy += wx * yv;
                }
                ax.CopyTo(mx[j..]);
                ay.CopyTo(my[j..]);
                axx.CopyTo(mxx[j..]);
                ayy.CopyTo(myy[j..]);
                axy.CopyTo(mxy[j..]);
            }
        }
        for (; j < width; j++)
        {
            double ax = 0, ay = 0, axx = 0, ayy = 0, axy = 0;
            for (int t = 0; t < taps.Length; t++)
            {
                int offset = (r + t) * width + j;
                double xv = x[offset], yv = y[offset];
                double wx = taps[t] * xv, wy = taps[t] * yv;
                ax += wx;
                ay += wy;
                axx += wx * xv;
                ayy += wy * yv;
                axy += wx * yv;
            }
            mx[j] = ax;
            my[j] = ay;
            mxx[j] = axx;
            myy[j] = ayy;
            mxy[j] = axy;
        }
    }

    /// <summary>Horizontal pass over the valid columns, the SSIM formula, and the row's sums.</summary>
    private static (double Ssim, double Cs) FilterRowAndScore(Span<double> mx, Span<double> my, Span<double> mxx,
        Span<double> myy, Span<double> mxy, int outWidth, double[] taps, double k, double c1, double c2)
    {
        ref double rx = ref MemoryMarshal.GetReference(mx);
        ref double ry = ref MemoryMarshal.GetReference(my);
        ref double rxx = ref MemoryMarshal.GetReference(mxx);
        ref double ryy = ref MemoryMarshal.GetReference(myy);
        ref double rxy = ref MemoryMarshal.GetReference(mxy);
        int j = 0;
        double ssimSum = 0, csSum = 0;
        if (Vector256.IsHardwareAccelerated && outWidth >= 4)
        {
            Vector256<double> ssimAcc = default, csAcc = default;
            var vk = Vector256.Create(k);
            var vc1 = Vector256.Create(c1);
            var vc2 = Vector256.Create(c2);
            var two = Vector256.Create(2.0);
            for (; j <= outWidth - 4; j += 4)
            {
                Vector256<double> ux = default, uy = default, uxx = default, uyy = default, uxy = default;
                for (int t = 0; t < taps.Length; t++)
                {
                    var w = Vector256.Create(taps[t]);
                    nuint o = (nuint)(j + t);
                    ux += w * Vector256.LoadUnsafe(ref rx, o);
                    uy += w * Vector256.LoadUnsafe(ref ry, o);
                    uxx += w * Vector256.LoadUnsafe(ref rxx, o);
                    uyy += w * Vector256.LoadUnsafe(ref ryy, o);
                    uxy += w * Vector256.LoadUnsafe(ref rxy, o);
                }
                var vx = vk * (uxx - ux * ux);
                var vy = vk * (uyy - uy * uy);
                var vxy = vk * (uxy - ux * uy);
                var a1 = two * ux * uy + vc1;
                var a2 = two * vxy + vc2;
                var b1 = ux * ux + uy * uy + vc1;
                var b2 = vx + vy + vc2;
                ssimAcc += (a1 * a2) / (b1 * b2);
                csAcc += a2 / b2;
            }
            ssimSum = Sum(ssimAcc);
            csSum = Sum(csAcc);
        }
        for (; j < outWidth; j++)
        {
            double ux = 0, uy = 0, uxx = 0, uyy = 0, uxy = 0;
            for (int t = 0; t < taps.Length; t++)
            {
                double w = taps[t];
                ux += w * mx[j + t];
                uy += w * my[j + t];
                uxx += w * mxx[j + t];
                uyy += w * myy[j + t];
                uxy += w * mxy[j + t];
            }
            double vx = k * (uxx - ux * ux), vy = k * (uyy - uy * uy), vxy = k * (uxy - ux * uy);
            double a1 = 2 * ux * uy + c1, a2 = 2 * vxy + c2, b1 = ux * ux + uy * uy + c1, b2 = vx + vy + c2;
            ssimSum += (a1 * a2) / (b1 * b2);
            csSum += a2 / b2;
        }
        return (ssimSum, csSum);
    }

    /// <summary>Lane sum in a fixed order: (l0 + l1) + (l2 + l3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double Sum(Vector256<double> v) => (v.GetElement(0) + v.GetElement(1)) + (v.GetElement(2) + v.GetElement(3));
}
