namespace GenMetrics.Imaging;

/// <summary>PackBits run-length decoding (TIFF compression 32773).</summary>
internal static class TiffPackBits
{
    /// <returns>Bytes written to <paramref name="output"/>.</returns>
    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int i = 0, o = 0;
        while (i < input.Length && o < output.Length)
        {
            int n = (sbyte)input[i++];
            if (n >= 0)
            {
                int count = Math.Min(Math.Min(n + 1, input.Length - i), output.Length - o);
                input.Slice(i, count).CopyTo(output[o..]);
                i += n + 1;
                o += count;
            }
            else if (n != -128 && i < input.Length)
            {
                int count = Math.Min(1 - n, output.Length - o);
                output.Slice(o, count).Fill(input[i++]);
                o += count;
            }
        }
        return o;
    }
}
