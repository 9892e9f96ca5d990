using System.IO.Compression;

namespace GenMetrics.Imaging;

/// <summary>Deflate (zlib-wrapped) strips, TIFF compression 8 and 32946.</summary>
internal static class TiffDeflate
{
    public static int Decode(ReadOnlySpan<byte> input, Span<byte> output, string name)
    {
        try
        {
            using var stream = new MemoryStream(input.ToArray(), writable: false);
            using var zlib = new ZLibStream(stream, CompressionMode.Decompress);
            int read = 0;
            while (read < output.Length)
            {
                int n = zlib.Read(output[read..]);
                if (n == 0) break;
                read += n;
            }
            return read;
        }
        catch (InvalidDataException e)
        {
            throw new GenMetricsException($"{name}: corrupt TIFF deflate data ({e.Message}); re-export the file or remove it", e);
        }
    }
}
