using System.Runtime.InteropServices;

namespace GenMetrics.Tests.Imaging;

/// <summary>
/// The system libwebp (Debian 12 ships 1.2.4, the library Pillow 9.4 decodes WebP with), when installed: a second
/// decoder to check SkiaSharp's WebP output against.
/// </summary>
internal static partial class SystemLibwebp
{
    private const string Library = "libwebp.so.7";

    public static bool IsAvailable { get; } = NativeLibrary.TryLoad(Library, out _);

    /// <summary>Decodes to RGB (WebPDecodeRGBA with default options, alpha dropped).</summary>
    public static (int Width, int Height, byte[] Rgb) DecodeRgb(byte[] data)
    {
        IntPtr rgba = WebPDecodeRGBA(data, (nuint)data.Length, out int width, out int height);
        if (rgba == IntPtr.Zero) throw new InvalidDataException("libwebp rejected the data");
        try
        {
            var buffer = new byte[width * height * 4];
            Marshal.Copy(rgba, buffer, 0, buffer.Length);
            var rgb = new byte[width * height * 3];
            for (int i = 0, o = 0; o < rgb.Length; i += 4, o += 3)
            {
                rgb[o] = buffer[i];
                rgb[o + 1] = buffer[i + 1];
                rgb[o + 2] = buffer[i + 2];
            }
            return (width, height, rgb);
        }
        finally
        {
            WebPFree(rgba);
        }
    }

    [LibraryImport(Library)]
    private static partial IntPtr WebPDecodeRGBA(byte[] data, nuint size, out int width, out int height);

    [LibraryImport(Library)]
    private static partial void WebPFree(IntPtr pointer);
}
