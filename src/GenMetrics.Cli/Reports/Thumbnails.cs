using GenMetrics.Imaging;
using SkiaSharp;

namespace GenMetrics.Cli.Reports;

/// <summary>PNG thumbnails of decoded images and of LPIPS spatial maps, at most <see cref="MaxSide"/> pixels per side.</summary>
internal static class Thumbnails
{
    /// <summary>Longest side of a thumbnail.</summary>
    public const int MaxSide = 128;

    /// <summary>
    /// Scales <paramref name="image"/> to fit <see cref="MaxSide"/> (never up), with linear filtering and mipmaps
    /// so a large image is averaged rather than aliased, and encodes it as PNG.
    /// </summary>
    public static EmbeddedPng Of(RgbImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        double scale = Math.Min(1.0, (double)MaxSide / Math.Max(image.Width, image.Height));
        int width = Math.Max(1, (int)Math.Round(image.Width * scale));
        int height = Math.Max(1, (int)Math.Round(image.Height * scale));
        using var source = ToBitmap(image);
        using var scaled = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        if (!source.ScalePixels(scaled, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear)))
        {
            throw new InvalidOperationException("SkiaSharp could not scale a thumbnail");
        }
        using var data = scaled.Encode(SKEncodedImageFormat.Png, 100);
        return new EmbeddedPng(data.ToArray(), width, height);
    }

    /// <summary>
    /// An H×W map as an RGB image through <paramref name="colour"/>: value 0 is colour(0), <paramref name="scaleMax"/>
    /// and above colour(1), so maps drawn with the same scale compare by colour.
    /// </summary>
    public static RgbImage HeatMap(ReadOnlySpan<float> map, int width, int height, double scaleMax, Func<double, (byte R, byte G, byte B)> colour)
    {
        var pixels = new byte[width * height * 3];
        for (int i = 0; i < width * height; i++)
        {
            double f = scaleMax > 0 ? Math.Clamp(map[i] / scaleMax, 0, 1) : 0;
            var (r, g, b) = colour(f);
            pixels[3 * i] = r;
            pixels[3 * i + 1] = g;
            pixels[3 * i + 2] = b;
        }
        return new RgbImage(width, height, pixels);
    }

    private static SKBitmap ToBitmap(RgbImage image)
    {
        var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        Span<byte> rgba = bitmap.GetPixelSpan();
        ReadOnlySpan<byte> rgb = image.Pixels;
        int stride = bitmap.RowBytes;
        for (int y = 0; y < image.Height; y++)
        {
            var row = rgba.Slice(y * stride, image.Width * 4);
            var src = rgb.Slice(y * image.Width * 3, image.Width * 3);
            for (int x = 0; x < image.Width; x++)
            {
                row[4 * x] = src[3 * x];
                row[4 * x + 1] = src[3 * x + 1];
                row[4 * x + 2] = src[3 * x + 2];
                row[4 * x + 3] = 255;
            }
        }
        return bitmap;
    }
}
