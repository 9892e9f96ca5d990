namespace GenMetrics.Imaging;

/// <summary>
/// TIFF LZW (compression 5): MSB-first codes of 9–12 bits, Clear = 256, EndOfInformation = 257, and the code
/// width growing one code early (at 511, 1023, 2047), as TIFF 6.0 writers do.
/// </summary>
internal static class TiffLzw
{
    private const int Clear = 256, End = 257;

    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output, string name)
    {
        if (input.Length >= 2 && input[0] == 0 && (input[1] & 1) != 0)
        {
            throw new GenMetricsException($"{name}: old-style (LSB-first) TIFF LZW is not supported; convert it to PNG");
        }
        var prefix = new short[4096];
        var suffix = new byte[4096];
        var length = new short[4096];
        for (int i = 0; i < 256; i++)
        {
            prefix[i] = -1;
            suffix[i] = (byte)i;
            length[i] = 1;
        }
        int next = 258, width = 9, previous = -1, o = 0;
        long bitPos = 0;
        long totalBits = (long)input.Length * 8;
        while (o < output.Length && bitPos + width <= totalBits)
        {
            int code = ReadCode(input, bitPos, width);
            bitPos += width;
            if (code == End) break;
            if (code == Clear)
            {
                next = 258;
                width = 9;
                previous = -1;
                continue;
            }
            int first;
            if (code < next && (code < 256 || code > End))
            {
                first = Emit(code, prefix, suffix, length, output, ref o);
            }
            else if (code == next && previous >= 0)
            {
                first = Emit(previous, prefix, suffix, length, output, ref o);
                if (o < output.Length) output[o++] = (byte)first;
            }
            else
            {
                throw new GenMetricsException($"{name}: corrupt TIFF LZW data (code {code}); re-export the file or remove it");
            }
            if (previous >= 0 && next < 4096)
            {
                prefix[next] = (short)previous;
                suffix[next] = (byte)first;
                length[next] = (short)(length[previous] + 1);
                next++;
            }
            previous = code;
            if (next + 1 >= 1 << width && width < 12) width++;
        }
        return o;
    }

    private static int ReadCode(ReadOnlySpan<byte> input, long bitPos, int width)
    {
        int value = 0;
        for (int k = 0; k < width; k++)
        {
            long bit = bitPos + k;
            value = (value << 1) | ((input[(int)(bit >> 3)] >> (7 - (int)(bit & 7))) & 1);
        }
        return value;
    }

    /// <summary>Writes the string of <paramref name="code"/> (clipped to the output) and returns its first byte.</summary>
    private static int Emit(int code, short[] prefix, byte[] suffix, short[] length, Span<byte> output, ref int o)
    {
        int len = length[code];
        int end = o + len;
        int c = code;
        for (int p = end - 1; p >= o; p--)
        {
            if (p < output.Length) output[p] = suffix[c];
            if (p > o) c = prefix[c];
        }
        int first = suffix[c];
        o = Math.Min(end, output.Length);
        return first;
    }
}
