using System.Buffers.Binary;

namespace GenMetrics.Imaging;

/// <summary>
/// Baseline TIFF (first image only) with Pillow 9.4's <c>convert('RGB')</c> semantics for the common variants:
/// strips, chunky samples, 8 bits per sample (1 bit for bilevel), gray (BlackIsZero / WhiteIsZero, inverted as
/// Pillow does), palette (ColorMap high bytes, as Pillow's <c>b // 256</c>), RGB and RGB + extra samples (dropped);
/// compression none, PackBits, LZW and Deflate, with or without horizontal differencing. Anything else (tiles,
/// planar configuration 2, JPEG compression, 16-bit samples, CMYK, associated alpha) is refused with a message
/// asking to convert the file to PNG.
/// </summary>
internal static class TiffDecoder
{
    private const int TagWidth = 256, TagHeight = 257, TagBits = 258, TagCompression = 259, TagPhotometric = 262,
        TagStripOffsets = 273, TagSamples = 277, TagRowsPerStrip = 278, TagStripByteCounts = 279, TagPlanar = 284,
        TagPredictor = 317, TagColorMap = 320, TagTileWidth = 322, TagExtraSamples = 338, TagSampleFormat = 339;

    public static RgbImage Decode(ReadOnlySpan<byte> data, string name)
    {
        bool little = data[0] == 'I';
        var tags = ReadFirstDirectory(data, little, name);
        uint First(int tag, uint fallback) => tags.TryGetValue(tag, out var v) && v.Length > 0 ? v[0] : fallback;
        int width = checked((int)First(TagWidth, 0)), height = checked((int)First(TagHeight, 0));
        if (width <= 0 || height <= 0) throw Bad(name, "missing or invalid image size");
        ImageSizeLimit.Check(width, height, name);
        int samples = (int)First(TagSamples, 1);
        var bits = tags.TryGetValue(TagBits, out var b) ? b : [1u];
        int bitsPerSample = (int)bits[0];
        int compression = (int)First(TagCompression, 1);
        int photometric = (int)First(TagPhotometric, uint.MaxValue);
        int predictor = (int)First(TagPredictor, 1);
        if (tags.ContainsKey(TagTileWidth)) throw Unsupported(name, "tiled layout");
        if (First(TagPlanar, 1) != 1) throw Unsupported(name, "separate colour planes");
        if (First(TagSampleFormat, 1) != 1) throw Unsupported(name, "non-integer samples");
        if (bits.Any(x => x != bits[0])) throw Unsupported(name, "mixed bits per sample");
        if (compression is not (1 or 5 or 8 or 32946 or 32773)) throw Unsupported(name, $"compression {compression}");
        if (predictor is not (1 or 2)) throw Unsupported(name, $"predictor {predictor}");
        bool bilevel = bitsPerSample == 1 && samples == 1 && photometric is 0 or 1;
        if (!bilevel && bitsPerSample != 8) throw Unsupported(name, $"{bitsPerSample}-bit samples");
        if (tags.TryGetValue(TagExtraSamples, out var extra) && extra.Contains(1u)) throw Unsupported(name, "associated (premultiplied) alpha");
        bool supported = photometric switch
        {
            0 or 1 => samples is 1 or 2,
            2 => samples >= 3,
            3 => samples == 1 && tags.ContainsKey(TagColorMap),
            _ => false,
        };
        if (!supported) throw Unsupported(name, $"photometric interpretation {photometric} with {samples} sample(s) per pixel");

        int rowBytes = bilevel ? (width + 7) / 8 : width * samples;
        var raster = ReadStrips(data, tags, little, compression, rowBytes, height, name);
        if (predictor == 2)
        {
            if (bilevel) throw Unsupported(name, "predictor on bilevel data");
            for (int y = 0; y < height; y++)
            {
                var row = raster.AsSpan(y * rowBytes, rowBytes);
                for (int i = samples; i < row.Length; i++) row[i] += row[i - samples];
            }
        }
        var pixels = new byte[width * height * 3];
        var colorMap = photometric == 3 ? tags[TagColorMap] : null;
        for (int y = 0; y < height; y++)
        {
            var row = raster.AsSpan(y * rowBytes, rowBytes);
            for (int x = 0; x < width; x++)
            {
                int o = (y * width + x) * 3;
                if (bilevel)
                {
                    bool one = ((row[x >> 3] >> (7 - (x & 7))) & 1) != 0;
                    byte v = one == (photometric == 1) ? (byte)255 : (byte)0;
                    pixels[o] = pixels[o + 1] = pixels[o + 2] = v;
                }
                else if (photometric is 0 or 1)
                {
                    byte v = row[x * samples];
                    if (photometric == 0) v = (byte)(255 - v);
                    pixels[o] = pixels[o + 1] = pixels[o + 2] = v;
                }
                else if (photometric == 3)
                {
                    int index = row[x];
                    int entries = colorMap!.Length / 3;
                    if (index >= entries) throw Bad(name, $"palette index {index} past the {entries}-entry colour map");
                    pixels[o] = (byte)(colorMap[index] / 256);
                    pixels[o + 1] = (byte)(colorMap[entries + index] / 256);
                    pixels[o + 2] = (byte)(colorMap[2 * entries + index] / 256);
                }
                else
                {
                    row.Slice(x * samples, 3).CopyTo(pixels.AsSpan(o, 3));
                }
            }
        }
        return new RgbImage(width, height, pixels);
    }

    private static byte[] ReadStrips(ReadOnlySpan<byte> data, Dictionary<int, uint[]> tags, bool little, int compression,
        int rowBytes, int height, string name)
    {
        if (!tags.TryGetValue(TagStripOffsets, out var offsets)) throw Bad(name, "no strip offsets");
        if (!tags.TryGetValue(TagStripByteCounts, out var counts) || counts.Length != offsets.Length)
        {
            throw Bad(name, "missing or inconsistent strip byte counts");
        }
        long rowsPerStrip = Math.Min(tags.TryGetValue(TagRowsPerStrip, out var rps) ? rps[0] : uint.MaxValue, (uint)height);
        var raster = new byte[checked(rowBytes * height)];
        int row = 0;
        for (int s = 0; s < offsets.Length && row < height; s++)
        {
            if (offsets[s] > data.Length || counts[s] > data.Length - offsets[s]) throw Bad(name, "strip data is truncated");
            var strip = data.Slice((int)offsets[s], (int)counts[s]);
            int rows = (int)Math.Min(rowsPerStrip, height - row);
            var output = raster.AsSpan(row * rowBytes, rows * rowBytes);
            int written = compression switch
            {
                1 => CopyRaw(strip, output),
                32773 => TiffPackBits.Decode(strip, output),
                5 => TiffLzw.Decode(strip, output, name),
                _ => TiffDeflate.Decode(strip, output, name),
            };
            if (written < output.Length) throw Bad(name, "strip data is truncated");
            row += rows;
        }
        if (row < height) throw Bad(name, "strips cover fewer rows than the image height");
        return raster;
    }

    private static int CopyRaw(ReadOnlySpan<byte> strip, Span<byte> output)
    {
        int n = Math.Min(strip.Length, output.Length);
        strip[..n].CopyTo(output);
        return n;
    }

    private static Dictionary<int, uint[]> ReadFirstDirectory(ReadOnlySpan<byte> data, bool little, string name)
    {
        if (data.Length < 8) throw Bad(name, "file is truncated");
        ushort U16(ReadOnlySpan<byte> d, long at) => little ? BinaryPrimitives.ReadUInt16LittleEndian(d[(int)at..]) : BinaryPrimitives.ReadUInt16BigEndian(d[(int)at..]);
        uint U32(ReadOnlySpan<byte> d, long at) => little ? BinaryPrimitives.ReadUInt32LittleEndian(d[(int)at..]) : BinaryPrimitives.ReadUInt32BigEndian(d[(int)at..]);
        long ifd = U32(data, 4);
        if (ifd < 8 || ifd + 2 > data.Length) throw Bad(name, "image directory is missing or truncated");
        int count = U16(data, ifd);
        if (ifd + 2 + 12L * count > data.Length) throw Bad(name, "image directory is truncated");
        var tags = new Dictionary<int, uint[]>();
        for (int i = 0; i < count; i++)
        {
            long entry = ifd + 2 + 12L * i;
            int tag = U16(data, entry), type = U16(data, entry + 2);
            uint n = U32(data, entry + 4);
            int size = type switch { 1 or 2 or 6 or 7 => 1, 3 or 8 => 2, 4 or 9 => 4, _ => 0 };
            if (size == 0 || n == 0 || n > 1 << 24) continue; // rationals, doubles and odd types: not needed here
            long bytes = (long)size * n;
            long at = bytes <= 4 ? entry + 8 : U32(data, entry + 8);
            if (at + bytes > data.Length) throw Bad(name, $"tag {tag} points past the end of the file");
            var values = new uint[n];
            for (int k = 0; k < n; k++)
            {
                long p = at + (long)k * size;
                values[k] = size switch { 1 => data[(int)p], 2 => U16(data, p), _ => U32(data, p) };
            }
            tags[tag] = values;
        }
        return tags;
    }

    private static GenMetricsException Bad(string name, string problem) =>
        new($"{name}: not a valid TIFF file ({problem}); re-export the file or remove it");

    private static GenMetricsException Unsupported(string name, string feature) =>
        new($"{name}: this TIFF variant is not supported ({feature}); convert it to PNG");
}
