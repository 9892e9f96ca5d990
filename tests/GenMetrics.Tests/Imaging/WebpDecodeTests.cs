using GenMetrics.Imaging;
using SkiaSharp;

namespace GenMetrics.Tests.Imaging;

/// <summary>
/// No Pillow golden exists for WebP, so SkiaSharp's WebP decode is checked against the system libwebp (what Pillow
/// itself calls), on lossy and lossless files encoded here from a fixture image. Skipped where libwebp is absent.
/// </summary>
public sealed class WebpDecodeTests
{
    [Theory]
    [InlineData(false, 75)]
    [InlineData(false, 30)]
    [InlineData(true, 100)]
    public void SkiaDecodeEqualsSystemLibwebp(bool lossless, int quality)
    {
        // Debian's libwebp7 (the library Pillow calls) is part of this machine image and CI's: absence fails.
        Assert.True(SystemLibwebp.IsAvailable, "libwebp.so.7 not found: apt-get install libwebp7");
        var source = ImageDecoder.Decode(Fixtures.Path("images", "odd", "jpeg_progressive.jpg")); // odd size 257x190
        byte[] webp = Encode(source, lossless, quality);
        var image = ImageDecoder.Decode(webp, "x.webp");
        var (w, h, rgb) = SystemLibwebp.DecodeRgb(webp);
        Assert.Equal((w, h), (image.Width, image.Height));
        int differing = 0, maxDiff = 0;
        for (int i = 0; i < rgb.Length; i++)
        {
            int d = Math.Abs(rgb[i] - image.Pixels[i]);
            if (d != 0) differing++;
            maxDiff = Math.Max(maxDiff, d);
        }
        // Tier: exact. Both are libwebp with default (fancy) upsampling.
        Assert.True(differing == 0, $"{differing} of {rgb.Length} samples differ from libwebp, max |diff| {maxDiff}");
    }

    private static byte[] Encode(RgbImage image, bool lossless, int quality)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                int o = (y * image.Width + x) * 3;
                bitmap.SetPixel(x, y, new SKColor(image.Pixels[o], image.Pixels[o + 1], image.Pixels[o + 2]));
            }
        }
        using var pixmap = bitmap.PeekPixels();
        var options = new SKWebpEncoderOptions(lossless ? SKWebpEncoderCompression.Lossless : SKWebpEncoderCompression.Lossy, quality);
        using var data = pixmap.Encode(options) ?? throw new InvalidOperationException("Skia could not encode WebP");
        return data.ToArray();
    }
}
