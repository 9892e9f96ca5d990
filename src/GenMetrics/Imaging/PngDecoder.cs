using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;

namespace GenMetrics.Imaging;

/// <summary>
/// A PNG decoder with Pillow 9.4's <c>open().convert('RGB')</c> semantics: every colour type and bit depth,
/// Adam7 interlace, alpha dropped without compositing, tRNS ignored, palette indices past the PLTE length mapped
/// to Pillow's gray ramp, 1/2/4-bit gray scaled to 0..255, 16-bit gray CLIPPED to 0..255 (Pillow mode I), and
/// the HIGH byte kept for 16-bit RGB, RGBA and gray+alpha.
/// </summary>
/// <remarks>Own decoder rather than SkiaSharp because Skia premultiplies alpha and rescales 16-bit gray.</remarks>
internal static class PngDecoder
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>Adam7 passes: x start, y start, x step, y step.</summary>
    private static readonly (int X0, int Y0, int Dx, int Dy)[] Adam7 =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    public static bool HasSignature(ReadOnlySpan<byte> data) => data.StartsWith(Signature);

    public static RgbImage Decode(ReadOnlySpan<byte> data, string name)
    {
        if (!HasSignature(data)) throw Corrupt(name, "missing PNG signature");
        int pos = Signature.Length;
        PngHeader? header = null;
        byte[]? palette = null;
        var idat = new ArrayBufferWriter<byte>();
        bool seenIdat = false;
        while (true)
        {
            if (data.Length - pos < 12)
            {
                if (seenIdat) break; // trailing chunks (IEND) missing: decode what the data holds, as Pillow does
                throw Corrupt(name, "file is truncated before the image data");
            }
            uint length = BinaryPrimitives.ReadUInt32BigEndian(data[pos..]);
            var type = data.Slice(pos + 4, 4);
            if (length > int.MaxValue || length > data.Length - pos - 12)
            {
                if (seenIdat && type.SequenceEqual("IDAT"u8))
                {
                    idat.Write(data[(pos + 8)..]); // truncated last IDAT: let inflate decide whether it is enough
                }
                if (seenIdat) break;
                throw Corrupt(name, $"chunk '{System.Text.Encoding.ASCII.GetString(type)}' is truncated");
            }
            var body = data.Slice(pos + 8, (int)length);
            if (!seenIdat && !type.SequenceEqual("IDAT"u8))
            {
                uint stored = BinaryPrimitives.ReadUInt32BigEndian(data[(pos + 8 + (int)length)..]);
                if (stored != PngCrc32.Compute(data.Slice(pos + 4, 4 + (int)length)))
                {
                    throw Corrupt(name, $"CRC mismatch in chunk '{System.Text.Encoding.ASCII.GetString(type)}'");
                }
            }
            pos += 12 + (int)length;
            if (type.SequenceEqual("IHDR"u8)) header = PngHeader.Parse(body, name);
            else if (type.SequenceEqual("PLTE"u8)) palette = body.ToArray();
            else if (type.SequenceEqual("IDAT"u8))
            {
                if (header is null) throw Corrupt(name, "IDAT before IHDR");
                seenIdat = true;
                idat.Write(body);
            }
            else if (type.SequenceEqual("IEND"u8)) break;
        }
        if (header is null) throw Corrupt(name, "no IHDR chunk");
        if (!seenIdat) throw Corrupt(name, "no image data (IDAT)");
        var h = header.Value;
        if (h.ColorType == 3 && palette is null) throw Corrupt(name, "palette image without a PLTE chunk");

        long rawLength = RawLength(h);
        if (rawLength > int.MaxValue) throw new GenMetricsException($"{name}: image of {h.Width}x{h.Height} is too large to decode");
        byte[] raw = ArrayPool<byte>.Shared.Rent((int)rawLength);
        try
        {
            Inflate(idat.WrittenSpan, raw.AsSpan(0, (int)rawLength), name);
            var pixels = new byte[checked(h.Width * h.Height * 3)];
            var rgbPalette = BuildPalette(palette);
            if (!h.Interlaced)
            {
                ExpandPass(raw.AsSpan(0, (int)rawLength), h, rgbPalette, pixels, 0, 0, 1, 1, h.Width, h.Height, name);
            }
            else
            {
                int offset = 0;
                foreach (var (x0, y0, dx, dy) in Adam7)
                {
                    int pw = (h.Width - x0 + dx - 1) / dx;
                    int ph = (h.Height - y0 + dy - 1) / dy;
                    if (pw <= 0 || ph <= 0) continue;
                    int len = ph * (1 + h.RowBytes(pw));
                    ExpandPass(raw.AsSpan(offset, len), h, rgbPalette, pixels, x0, y0, dx, dy, pw, ph, name);
                    offset += len;
                }
            }
            return new RgbImage(h.Width, h.Height, pixels);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(raw);
        }
    }

    private static long RawLength(PngHeader h)
    {
        if (!h.Interlaced) return (long)h.Height * (1 + h.RowBytes(h.Width));
        long total = 0;
        foreach (var (x0, y0, dx, dy) in Adam7)
        {
            int pw = (h.Width - x0 + dx - 1) / dx;
            int ph = (h.Height - y0 + dy - 1) / dy;
            if (pw > 0 && ph > 0) total += (long)ph * (1 + h.RowBytes(pw));
        }
        return total;
    }

    private static void Inflate(ReadOnlySpan<byte> compressed, Span<byte> output, string name)
    {
        int read = 0;
        try
        {
            using var input = new MemoryStream(compressed.ToArray(), writable: false);
            using var zlib = new ZLibStream(input, CompressionMode.Decompress);
            while (read < output.Length)
            {
                int n = zlib.Read(output[read..]);
                if (n == 0) break;
                read += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new GenMetricsException($"{name}: corrupt PNG image data ({e.Message}); re-export the file or remove it", e);
        }
        if (read < output.Length)
        {
            throw new GenMetricsException($"{name}: PNG image data is truncated ({read} of {output.Length} bytes); re-export the file or remove it");
        }
    }

    /// <summary>Pillow's palette: PLTE entries, then its initial gray ramp (i, i, i) for the remaining indices.</summary>
    private static byte[] BuildPalette(byte[]? plte)
    {
        var rgb = new byte[256 * 3];
        for (int i = 0; i < 256; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte)i;
        if (plte is not null) plte.AsSpan(0, Math.Min(plte.Length / 3 * 3, rgb.Length)).CopyTo(rgb);
        return rgb;
    }

    /// <summary>Unfilters one (sub)image of <paramref name="width"/>×<paramref name="height"/> and writes its pixels as RGB.</summary>
    private static void ExpandPass(Span<byte> raw, PngHeader h, byte[] palette, byte[] pixels,
        int x0, int y0, int dx, int dy, int width, int height, string name)
    {
        int rowBytes = h.RowBytes(width);
        int bpp = Math.Max(1, h.Channels * h.BitDepth / 8);
        Span<byte> previous = rowBytes <= 4096 ? stackalloc byte[rowBytes] : new byte[rowBytes];
        previous.Clear();
        for (int y = 0; y < height; y++)
        {
            var line = raw.Slice(y * (rowBytes + 1), rowBytes + 1);
            var row = line[1..];
            PngFilter.Unfilter(line[0], row, previous, bpp, name);
            WriteRow(row, h, palette, pixels, ((y0 + y * dy) * h.Width + x0) * 3, dx * 3, width);
            row.CopyTo(previous);
        }
    }

    private static void WriteRow(ReadOnlySpan<byte> row, PngHeader h, byte[] palette, byte[] pixels, int start, int step, int width)
    {
        int o = start;
        switch (h.ColorType, h.BitDepth)
        {
            case (0, 8):
                for (int x = 0; x < width; x++, o += step) pixels[o] = pixels[o + 1] = pixels[o + 2] = row[x];
                break;
            case (0, 16): // Pillow mode I: convert('RGB') clips to 0..255
                for (int x = 0; x < width; x++, o += step)
                {
                    int v = (row[2 * x] << 8) | row[2 * x + 1];
                    pixels[o] = pixels[o + 1] = pixels[o + 2] = (byte)Math.Min(v, 255);
                }
                break;
            case (0, _): // 1, 2, 4 bits: Pillow's "1", "L;2", "L;4" unpackers scale to 0..255
            {
                int scale = 255 / ((1 << h.BitDepth) - 1);
                for (int x = 0; x < width; x++, o += step)
                {
                    byte v = (byte)(SubByteSample(row, x, h.BitDepth) * scale);
                    pixels[o] = pixels[o + 1] = pixels[o + 2] = v;
                }
                break;
            }
            case (3, _):
                for (int x = 0; x < width; x++, o += step)
                {
                    int index = h.BitDepth == 8 ? row[x] : SubByteSample(row, x, h.BitDepth);
                    pixels[o] = palette[3 * index];
                    pixels[o + 1] = palette[3 * index + 1];
                    pixels[o + 2] = palette[3 * index + 2];
                }
                break;
            case (2, 8) when step == 3:
                row[..(3 * width)].CopyTo(pixels.AsSpan(start, 3 * width));
                break;
            case (2, _) or (4, _) or (6, _):
            {
                // 8-bit: sample byte; 16-bit: the high (first, big-endian) byte, as Pillow's ";16B" unpackers do.
                int bytesPerSample = h.BitDepth / 8;
                int pixelBytes = h.Channels * bytesPerSample;
                bool gray = h.ColorType == 4;
                for (int x = 0, i = 0; x < width; x++, o += step, i += pixelBytes)
                {
                    if (gray)
                    {
                        pixels[o] = pixels[o + 1] = pixels[o + 2] = row[i];
                    }
                    else
                    {
                        pixels[o] = row[i];
                        pixels[o + 1] = row[i + bytesPerSample];
                        pixels[o + 2] = row[i + 2 * bytesPerSample];
                    }
                }
                break;
            }
        }
    }

    private static int SubByteSample(ReadOnlySpan<byte> row, int x, int bits)
    {
        int bit = x * bits;
        int shift = 8 - bits - (bit & 7);
        return (row[bit >> 3] >> shift) & ((1 << bits) - 1);
    }

    private static GenMetricsException Corrupt(string name, string problem) =>
        new($"{name}: not a valid PNG file ({problem}); re-export the file or remove it");
}
