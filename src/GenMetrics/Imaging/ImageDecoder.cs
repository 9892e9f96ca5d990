namespace GenMetrics.Imaging;

/// <summary>
/// Decodes an image file to the pixels Pillow 9.4's <c>Image.open(f).convert('RGB')</c> gives. The format is
/// found from the file's first bytes, as Pillow does, not from its extension.
/// </summary>
/// <remarks>
/// PNG and Netpbm (PGM/PPM/PBM) use GenMetrics' own decoders with Pillow's exact semantics (alpha dropped
/// without compositing, 16-bit gray clipped to 255, high byte of 16-bit colour, palettes, Adam7). JPEG (through
/// libjpeg-turbo, including progressive, gray and Adobe CMYK), BMP, WEBP and GIF go through SkiaSharp; EXIF
/// orientation is not applied. Baseline TIFF (strips; 8-bit gray, palette, RGB(A); none/PackBits/LZW/Deflate) uses
/// GenMetrics' own decoder; other TIFF variants raise a clear error. Thread-safe: decoders share no
/// state. Parity: every <c>images/odd</c> fixture decodes pixel-identical to <c>golden/decode/*.npy</c>.
/// Every problem with a file (unreadable, truncated, corrupt, unsupported) raises <see cref="GenMetricsException"/>
/// naming it.
/// </remarks>
public static class ImageDecoder
{
    /// <summary>Reads and decodes the image file at <paramref name="path"/>.</summary>
    /// <exception cref="GenMetricsException">The file is missing, unreadable, corrupt or in an unsupported format.</exception>
    public static RgbImage Decode(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        byte[] data;
        GenMetrics.Checkpoints.FileKindPolicy.RequireRegularInput(path);
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenMetricsException($"{path}: cannot read the file ({e.Message}); check the path and its permissions", e);
        }
        return Decode(data, path);
    }

    /// <summary>Decodes an encoded image held in memory; <paramref name="nameForErrors"/> names it in error messages.</summary>
    /// <exception cref="GenMetricsException">The bytes are corrupt, truncated or in an unsupported format.</exception>
    public static RgbImage Decode(ReadOnlySpan<byte> encoded, string nameForErrors)
    {
        string name = nameForErrors ?? "image";
        if (encoded.IsEmpty) throw new GenMetricsException($"{name}: the file is empty; remove it or replace it with a valid image");
        try
        {
            return ImageFormatSniffer.Detect(encoded) switch
            {
                ImageFormat.Png => PngDecoder.Decode(encoded, name),
                ImageFormat.Netpbm => PnmDecoder.Decode(encoded, name),
                ImageFormat.Jpeg => SkiaImageDecoder.Decode(encoded, name, "JPEG"),
                ImageFormat.Bmp => SkiaImageDecoder.Decode(encoded, name, "BMP"),
                ImageFormat.Webp => SkiaImageDecoder.Decode(encoded, name, "WEBP"),
                ImageFormat.Gif => SkiaImageDecoder.Decode(encoded, name, "GIF"),
                ImageFormat.Tiff => TiffDecoder.Decode(encoded, name),
                _ => throw new GenMetricsException($"{name}: not a recognised image format (expected PNG, JPEG, BMP, WEBP, TIFF or PGM/PPM); convert it to PNG or remove it"),
            };
        }
        catch (Exception e) when (e is not GenMetricsException and not OutOfMemoryException)
        {
            throw new GenMetricsException($"{name}: cannot decode the image ({e.GetType().Name}: {e.Message}); re-export the file or remove it", e);
        }
    }
}
