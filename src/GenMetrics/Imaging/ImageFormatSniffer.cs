namespace GenMetrics.Imaging;

/// <summary>The encoded formats <see cref="ImageDecoder"/> recognises.</summary>
internal enum ImageFormat
{
    Unknown,
    Png,
    Jpeg,
    Bmp,
    Webp,
    Gif,
    Netpbm,
    Tiff,
}

/// <summary>Finds an encoded image's format from its first bytes (its magic number), as Pillow does.</summary>
internal static class ImageFormatSniffer
{
    public static ImageFormat Detect(ReadOnlySpan<byte> data)
    {
        if (PngDecoder.HasSignature(data)) return ImageFormat.Png;
        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF])) return ImageFormat.Jpeg;
        if (data.StartsWith("BM"u8)) return ImageFormat.Bmp;
        if (data.Length >= 12 && data.StartsWith("RIFF"u8) && data.Slice(8, 4).SequenceEqual("WEBP"u8)) return ImageFormat.Webp;
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8)) return ImageFormat.Gif;
        if (data.StartsWith("II*\0"u8) || data.StartsWith("MM\0*"u8)) return ImageFormat.Tiff;
        if (PnmDecoder.HasSignature(data)) return ImageFormat.Netpbm;
        return ImageFormat.Unknown;
    }
}
