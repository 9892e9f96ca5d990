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
                for (int i = bpp; i < row.Length; i++) row[i] += Paeth(row[i - bpp], previous[i], previous[i - bpp]);
                break;
            default:
                throw new GenMetricsException($"{name}: not a valid PNG file (unknown scanline filter {filter}); re-export the file or remove it");
        }
    }

    private static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }
}
