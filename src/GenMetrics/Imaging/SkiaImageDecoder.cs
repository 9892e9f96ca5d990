using System.Runtime.InteropServices;
using SkiaSharp;

namespace GenMetrics.Imaging;

/// <summary>
/// JPEG, BMP, WEBP and GIF through SkiaSharp's codecs (libjpeg-turbo for JPEG, like Pillow). Decodes to
/// unpremultiplied RGBA with no colour space (so no ICC conversion) and drops alpha; <see cref="SKCodec"/> does not
/// apply the EXIF orientation, matching Pillow's <c>open()</c>.
/// </summary>
internal static class SkiaImageDecoder
{
    public static RgbImage Decode(ReadOnlySpan<byte> data, string name, string format)
    {
        using var skData = CreateData(data);
        using var codec = SKCodec.Create(skData) ?? throw new GenMetricsException(
            $"{name}: not a readable {format} file (the decoder rejected its header); re-export the file or remove it");
        int width = codec.Info.Width, height = codec.Info.Height;
        if (width <= 0 || height <= 0) throw new GenMetricsException($"{name}: {format} file has an invalid size {width}x{height}");
        ImageSizeLimit.Check(width, height, name);
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        byte[] rgba = new byte[info.BytesSize];
        var handle = GCHandle.Alloc(rgba, GCHandleType.Pinned);
        SKCodecResult result;
        try
        {
            result = codec.GetPixels(info, handle.AddrOfPinnedObject());
        }
        finally
        {
            handle.Free();
        }
        if (result is not SKCodecResult.Success)
        {
            string problem = result is SKCodecResult.IncompleteInput or SKCodecResult.ErrorInInput
                ? "the file is truncated or corrupt"
                : $"decoder error {result}";
            throw new GenMetricsException($"{name}: cannot decode {format} image ({problem}); re-export the file or remove it");
        }
        var pixels = new byte[width * height * 3];
        for (int i = 0, o = 0; o < pixels.Length; i += 4, o += 3)
        {
            pixels[o] = rgba[i];
            pixels[o + 1] = rgba[i + 1];
            pixels[o + 2] = rgba[i + 2];
        }
        return new RgbImage(width, height, pixels);
    }

    private static unsafe SKData CreateData(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return SKData.CreateCopy((IntPtr)p, data.Length);
        }
    }
}
