namespace GenMetrics.Imaging;

/// <summary>
/// The largest image decoded: Pillow's decompression-bomb limit, 2 × <c>Image.MAX_IMAGE_PIXELS</c> =
/// 178,956,970 pixels, above which <c>Image.open</c> raises <c>DecompressionBombError</c>.
/// </summary>
internal static class ImageSizeLimit
{
    public const long MaxPixels = 2 * 89_478_485L;

    /// <exception cref="GenMetricsException">The declared size exceeds <see cref="MaxPixels"/>.</exception>
    public static void Check(long width, long height, string name)
    {
        if (width * height > MaxPixels)
        {
            throw new GenMetricsException(
                $"{name}: image of {width}x{height} exceeds the {MaxPixels}-pixel limit (Pillow's decompression-bomb limit); downscale it or remove it");
        }
    }
}
