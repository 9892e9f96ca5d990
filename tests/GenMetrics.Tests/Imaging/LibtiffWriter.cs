using System.Runtime.InteropServices;

namespace GenMetrics.Tests.Imaging;

/// <summary>
/// Writes RGB TIFF files with the system's libtiff (the library Pillow decodes TIFF with), when it is installed,
/// so the decoder is checked against real LZW / Deflate / PackBits output rather than only our own test encoder.
/// </summary>
internal static partial class LibtiffWriter
{
    private const string Library = "libtiff.so.6";

    public static bool IsAvailable { get; } = NativeLibrary.TryLoad(Library, out _);

    public static void WriteRgb(string path, int width, int height, byte[] pixels, int compression, int predictor)
    {
        IntPtr tif = TIFFOpen(path, "w");
        if (tif == IntPtr.Zero) throw new IOException($"libtiff cannot create {path}");
        try
        {
            TIFFSetField(tif, 256, width);
            TIFFSetField(tif, 257, height);
            TIFFSetField(tif, 258, 8);
            TIFFSetField(tif, 277, 3);
            TIFFSetField(tif, 262, 2);
            TIFFSetField(tif, 284, 1);
            TIFFSetField(tif, 259, compression);
            TIFFSetField(tif, 278, 16);
            if (predictor != 1) TIFFSetField(tif, 317, predictor);
            var row = new byte[width * 3];
            for (int y = 0; y < height; y++)
            {
                Array.Copy(pixels, y * row.Length, row, 0, row.Length);
                if (TIFFWriteScanline(tif, row, (uint)y, 0) < 0) throw new IOException($"libtiff failed writing row {y} of {path}");
            }
        }
        finally
        {
            TIFFClose(tif);
        }
    }

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr TIFFOpen(string name, string mode);

    // TIFFSetField is variadic; on x86-64 System V an int vararg travels exactly like a fixed int argument.
    [LibraryImport(Library)]
    private static partial int TIFFSetField(IntPtr tif, uint tag, int value);

    [LibraryImport(Library)]
    private static partial int TIFFWriteScanline(IntPtr tif, byte[] buffer, uint row, ushort sample);

    [LibraryImport(Library)]
    private static partial void TIFFClose(IntPtr tif);
}
