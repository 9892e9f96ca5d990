using System.Globalization;

namespace GenMetrics.Imaging;

/// <summary>
/// Netpbm PBM/PGM/PPM (P1–P6) with Pillow 9.4's semantics: samples are taken as stored (Pillow does not rescale
/// by maxval ≤ 255), 16-bit PGM opens as mode I and <c>convert('RGB')</c> clips to 0..255, bitmaps give 0/255
/// (1 = black), and PPM with maxval &gt; 255 is rejected as Pillow rejects it.
/// </summary>
internal static class PnmDecoder
{
    public static bool HasSignature(ReadOnlySpan<byte> data) =>
        data.Length >= 2 && data[0] == (byte)'P' && data[1] is >= (byte)'1' and <= (byte)'6';

    public static RgbImage Decode(ReadOnlySpan<byte> data, string name)
    {
        char kind = (char)data[1];
        int pos = 2;
        if (pos < data.Length && !IsSpace(data[pos])) throw Bad(name, "unknown magic number");
        int width = ReadHeaderInt(data, ref pos, name);
        int height = ReadHeaderInt(data, ref pos, name);
        int maxval = kind is '1' or '4' ? 1 : ReadHeaderInt(data, ref pos, name);
        if (width <= 0 || height <= 0) throw Bad(name, $"invalid size {width}x{height}");
        ImageSizeLimit.Check(width, height, name);
        if (maxval <= 0 || maxval > 65535) throw Bad(name, $"unsupported maxval {maxval}");
        bool color = kind is '3' or '6';
        if (color && maxval > 255) throw Bad(name, $"maxval {maxval} > 255 in a colour PPM (Pillow rejects it); convert the file to 8-bit PNG");
        var pixels = new byte[width * height * 3];
        int count = width * height;
        var body = data[pos..];
        switch (kind)
        {
            case '4':
            {
                int rowBytes = (width + 7) / 8;
                if (body.Length < (long)rowBytes * height) throw Truncated(name);
                for (int y = 0; y < height; y++)
                {
                    for (int x = 0; x < width; x++)
                    {
                        bool black = ((body[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1) != 0;
                        Gray(pixels, y * width + x, black ? 0 : 255);
                    }
                }
                break;
            }
            case '5' when maxval <= 255:
                if (body.Length < count) throw Truncated(name);
                for (int i = 0; i < count; i++) Gray(pixels, i, body[i]);
                break;
            case '5':
                if (body.Length < 2L * count) throw Truncated(name);
                for (int i = 0; i < count; i++) Gray(pixels, i, Math.Min(255, (body[2 * i] << 8) | body[2 * i + 1]));
                break;
            case '6':
                if (body.Length < 3L * count) throw Truncated(name);
                body[..(3 * count)].CopyTo(pixels);
                break;
            default:
                DecodePlain(body, kind, maxval, pixels, count, name);
                break;
        }
        return new RgbImage(width, height, pixels);
    }

    private static void DecodePlain(ReadOnlySpan<byte> body, char kind, int maxval, byte[] pixels, int count, string name)
    {
        int p = 0;
        int samples = kind == '3' ? 3 * count : count;
        for (int i = 0; i < samples; i++)
        {
            int v;
            if (kind == '1')
            {
                SkipSpaceAndComments(body, ref p);
                if (p >= body.Length) throw Truncated(name);
                if (body[p] is not ((byte)'0' or (byte)'1')) throw Bad(name, "invalid bitmap sample");
                v = body[p++] == '1' ? 0 : 255;
            }
            else
            {
                v = ReadInt(body, ref p, name);
                if (v > maxval && v > 255) throw Bad(name, $"sample {v} exceeds maxval {maxval}");
                v = Math.Min(v, 255);
            }
            if (kind == '3') pixels[i] = (byte)v;
            else Gray(pixels, i, v);
        }
    }

    private static void Gray(byte[] pixels, int index, int value) =>
        pixels[3 * index] = pixels[3 * index + 1] = pixels[3 * index + 2] = (byte)value;

    /// <summary>Reads one header token; the single whitespace byte after it is consumed, as Pillow does.</summary>
    private static int ReadHeaderInt(ReadOnlySpan<byte> data, ref int pos, string name)
    {
        int value = ReadInt(data, ref pos, name);
        if (pos < data.Length) pos++; // the one whitespace byte that ends the token
        return value;
    }

    private static int ReadInt(ReadOnlySpan<byte> data, ref int pos, string name)
    {
        SkipSpaceAndComments(data, ref pos);
        int start = pos;
        while (pos < data.Length && data[pos] is >= (byte)'0' and <= (byte)'9') pos++;
        if (pos == start)
        {
            throw pos >= data.Length ? Truncated(name) : Bad(name, "expected a decimal number in the header or data");
        }
        if (pos - start > 10 || !int.TryParse(data[start..pos], NumberStyles.None, CultureInfo.InvariantCulture, out int v))
        {
            throw Bad(name, "number too large");
        }
        return v;
    }

    private static void SkipSpaceAndComments(ReadOnlySpan<byte> data, ref int pos)
    {
        while (pos < data.Length)
        {
            if (IsSpace(data[pos])) pos++;
            else if (data[pos] == '#')
            {
                while (pos < data.Length && data[pos] is not ((byte)'\n' or (byte)'\r')) pos++;
            }
            else break;
        }
    }

    private static bool IsSpace(byte b) => b is 0x20 or 0x09 or 0x0A or 0x0B or 0x0C or 0x0D;

    private static GenMetricsException Truncated(string name) =>
        new($"{name}: Netpbm image data is truncated; re-export the file or remove it");

    private static GenMetricsException Bad(string name, string problem) =>
        new($"{name}: not a valid Netpbm file ({problem}); re-export the file or remove it");
}
