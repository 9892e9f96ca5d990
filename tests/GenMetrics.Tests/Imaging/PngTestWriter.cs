using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GenMetrics.Tests.Imaging;

/// <summary>
/// A deliberately plain PNG encoder for tests: any colour type and bit depth, scanline filters cycling through
/// all five types, optional Adam7 interlace. Samples are given per pixel per channel (row-major).
/// </summary>
internal static class PngTestWriter
{
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static byte[] Write(int width, int height, int colorType, int bitDepth, int[] samples, bool interlaced, byte[]? palette = null)
    {
        int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        var raw = new MemoryStream();
        int filterCounter = 0;
        if (!interlaced)
        {
            WritePass(raw, samples, width, channels, bitDepth, 0, 0, 1, 1, width, height, ref filterCounter);
        }
        else
        {
            foreach (var (x0, y0, dx, dy) in Adam7)
            {
                int pw = (width - x0 + dx - 1) / dx, ph = (height - y0 + dy - 1) / dy;
                if (pw > 0 && ph > 0) WritePass(raw, samples, width, channels, bitDepth, x0, y0, dx, dy, pw, ph, ref filterCounter);
            }
        }
        var png = new MemoryStream();
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteUInt32BigEndian(ihdr, (uint)width);
        BinaryPrimitives.WriteUInt32BigEndian(ihdr.AsSpan(4), (uint)height);
        ihdr[8] = (byte)bitDepth;
        ihdr[9] = (byte)colorType;
        ihdr[12] = (byte)(interlaced ? 1 : 0);
        Chunk(png, "IHDR", ihdr);
        if (palette is not null) Chunk(png, "PLTE", palette);
        var compressed = new MemoryStream();
        using (var z = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true)) z.Write(raw.ToArray());
        byte[] all = compressed.ToArray();
        int half = all.Length / 2; // two IDAT chunks, to exercise concatenation
        Chunk(png, "IDAT", all[..half]);
        Chunk(png, "IDAT", all[half..]);
        Chunk(png, "IEND", []);
        return png.ToArray();
    }

    private static void WritePass(MemoryStream raw, int[] samples, int width, int channels, int bitDepth,
        int x0, int y0, int dx, int dy, int pw, int ph, ref int filterCounter)
    {
        int rowBytes = (pw * channels * bitDepth + 7) / 8;
        int bpp = Math.Max(1, channels * bitDepth / 8);
        var previous = new byte[rowBytes];
        for (int y = 0; y < ph; y++)
        {
            var row = new byte[rowBytes];
            int bit = 0;
            for (int x = 0; x < pw; x++)
            {
                int pixel = (y0 + y * dy) * width + x0 + x * dx;
                for (int c = 0; c < channels; c++)
                {
                    int v = samples[pixel * channels + c];
                    if (bitDepth == 16)
                    {
                        row[bit / 8] = (byte)(v >> 8);
                        row[bit / 8 + 1] = (byte)v;
                    }
                    else if (bitDepth == 8) row[bit / 8] = (byte)v;
                    else row[bit / 8] |= (byte)(v << (8 - bitDepth - bit % 8));
                    bit += bitDepth;
                }
            }
            int filter = filterCounter++ % 5;
            raw.WriteByte((byte)filter);
            for (int i = 0; i < rowBytes; i++)
            {
                int a = i >= bpp ? row[i - bpp] : 0, b = previous[i], c = i >= bpp ? previous[i - bpp] : 0;
                int predicted = filter switch { 0 => 0, 1 => a, 2 => b, 3 => (a + b) / 2, _ => Paeth(a, b, c) };
                raw.WriteByte((byte)(row[i] - predicted));
            }
            previous = row;
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void Chunk(MemoryStream png, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(len, (uint)data.Length);
        png.Write(len);
        byte[] body = [.. Encoding.ASCII.GetBytes(type), .. data];
        png.Write(body);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc(body));
        png.Write(len);
    }

    private static uint Crc(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
