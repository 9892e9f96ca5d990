using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace GenMetrics.Imaging;

/// <summary>Reverses the five PNG scanline filters (None, Sub, Up, Average, Paeth) in place.</summary>
internal static class PngFilter
{
    /// <param name="filter">The filter-type byte that starts the scanline.</param>
    /// <param name="row">The filtered scanline; unfiltered on return.</param>
    /// <param name="previous">The previous unfiltered scanline (zeros for the first).</param>
    /// <param name="bpp">Bytes per complete pixel, at least 1.</param>
    /// <param name="name">File name for the error message.</param>
    public static void Unfilter(byte filter, Span<byte> row, ReadOnlySpan<byte> previous, int bpp, string name)
    {
        switch (filter)
        {
            case 0:
                break;
            case 1:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                break;
            case 2:
                for (int i = 0; i < row.Length; i++) row[i] += previous[i];
                break;
            case 3:
                for (int i = 0; i < bpp && i < row.Length; i++) row[i] += (byte)(previous[i] >> 1);
                for (int i = bpp; i < row.Length; i++) row[i] += (byte)((row[i - bpp] + previous[i]) >> 1);
                break;
            case 4:
                for (int i = 0; i < bpp && i < row.Length; i++) row[i] += previous[i];
                if (bpp is 3 or 4 && Vector128.IsHardwareAccelerated) UnfilterPaethPixels(row, previous, bpp);
                else UnfilterPaeth(row, previous, bpp);
                break;
            default:
                throw new GenMetricsException($"{name}: not a valid PNG file (unknown scanline filter {filter}); re-export the file or remove it");
        }
    }

    /// <summary>
    /// Paeth for 8-bit RGB/RGBA, one pixel per step with its 3–4 channels in the lanes of a Vector128&lt;short&gt;
    /// (lanes past bpp are zero and ignored): the same predictor as <see cref="UnfilterPaeth"/>, without the
    /// data-dependent branches that mispredict on photographs. The chain runs pixel to pixel (a = the pixel just
    /// decoded), so there is no remainder: the row length is a multiple of bpp.
    /// </summary>
    private static void UnfilterPaethPixels(Span<byte> row, ReadOnlySpan<byte> previous, int bpp)
    {
        if (previous.Length < row.Length) throw new ArgumentException("previous scanline too short", nameof(previous));
        var a = LoadPixel(row, 0, bpp);
        var c = LoadPixel(previous, 0, bpp);
        var mask = Vector128.Create((short)0xFF);
        for (int i = bpp; i + bpp <= row.Length; i += bpp)
        {
            var b = LoadPixel(previous, i, bpp);
            var pa = Vector128.Abs(b - c);
            var pb = Vector128.Abs(a - c);
            var pc = Vector128.Abs(a + b - c - c);
            var useA = Vector128.LessThanOrEqual(pa, pb) & Vector128.LessThanOrEqual(pa, pc);
            var useB = Vector128.LessThanOrEqual(pb, pc);
            var predicted = Vector128.ConditionalSelect(useA, a, Vector128.ConditionalSelect(useB, b, c));
            var decoded = (LoadPixel(row, i, bpp) + predicted) & mask;
            row[i] = (byte)decoded.GetElement(0);
            row[i + 1] = (byte)decoded.GetElement(1);
            row[i + 2] = (byte)decoded.GetElement(2);
            if (bpp == 4) row[i + 3] = (byte)decoded.GetElement(3);
            a = decoded;
            c = b;
        }
    }

    private static Vector128<short> LoadPixel(ReadOnlySpan<byte> data, int i, int bpp) =>
        Vector128.Create(data[i], data[i + 1], data[i + 2], bpp == 4 ? data[i + 3] : (short)0, 0, 0, 0, 0);

    /// <summary>
    /// Paeth predictor over bytes bpp.. of the row. With p = a + b − c: |p − a| = |b − c|, |p − b| = |a − c|,
    /// |p − c| = |a + b − 2c|; ties prefer a, then b (PNG specification). Bounds were checked by the caller:
    /// previous.Length ≥ row.Length.
    /// </summary>
    private static void UnfilterPaeth(Span<byte> row, ReadOnlySpan<byte> previous, int bpp)
    {
        if (previous.Length < row.Length) throw new ArgumentException("previous scanline too short", nameof(previous));
        ref byte r = ref MemoryMarshal.GetReference(row);
        ref byte up = ref MemoryMarshal.GetReference(previous);
        for (int i = bpp; i < row.Length; i++)
        {
            int a = Unsafe.Add(ref r, i - bpp), b = Unsafe.Add(ref up, i), c = Unsafe.Add(ref up, i - bpp);
            int pa = b - c, pb = a - c;
            int pc = Math.Abs(pa + pb);
            pa = Math.Abs(pa);
            pb = Math.Abs(pb);
            int predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
            Unsafe.Add(ref r, i) += (byte)predicted;
        }
    }
}
