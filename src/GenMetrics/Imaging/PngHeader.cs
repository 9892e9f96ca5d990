using System.Buffers.Binary;

namespace GenMetrics.Imaging;

/// <summary>The IHDR fields of a PNG file, validated against the combinations the PNG specification allows.</summary>
internal readonly record struct PngHeader(int Width, int Height, int BitDepth, int ColorType, bool Interlaced)
{
    /// <summary>Samples per pixel of the colour type (gray 1, RGB 3, palette 1, gray+alpha 2, RGBA 4).</summary>
    public int Channels => ColorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };

    /// <summary>Bytes of one unfiltered scanline of <paramref name="width"/> pixels.</summary>
    public int RowBytes(int width) => (int)(((long)width * Channels * BitDepth + 7) / 8);

    public static PngHeader Parse(ReadOnlySpan<byte> body, string name)
    {
        if (body.Length != 13) throw Bad(name, "IHDR has the wrong length");
        uint w = BinaryPrimitives.ReadUInt32BigEndian(body);
        uint h = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        int depth = body[8], type = body[9], compression = body[10], filter = body[11], interlace = body[12];
        if (w == 0 || h == 0 || w > int.MaxValue || h > int.MaxValue) throw Bad(name, $"invalid size {w}x{h}");
        ImageSizeLimit.Check(w, h, name);
        bool valid = type switch
        {
            0 => depth is 1 or 2 or 4 or 8 or 16,
            3 => depth is 1 or 2 or 4 or 8,
            2 or 4 or 6 => depth is 8 or 16,
            _ => false,
        };
        if (!valid) throw Bad(name, $"unsupported colour type {type} with bit depth {depth}");
        if (compression != 0 || filter != 0 || interlace > 1) throw Bad(name, "unknown compression, filter or interlace method");
        return new PngHeader((int)w, (int)h, depth, type, interlace == 1);
    }

    private static GenMetricsException Bad(string name, string problem) =>
        new($"{name}: not a valid PNG file ({problem}); re-export the file or remove it");
}
