namespace GenMetrics.Imaging;

/// <summary>
/// The file extensions taken from folders and archives: pytorch-fid's list (bmp jpg jpeg pgm png ppm tif tiff
/// webp), matched case-insensitively.
/// </summary>
internal static class ImageExtensions
{
    public static IReadOnlyList<string> All { get; } = ["png", "jpg", "jpeg", "bmp", "webp", "tif", "tiff", "pgm", "ppm"];

    private static readonly HashSet<string> Set = new(All.Select(e => "." + e), StringComparer.OrdinalIgnoreCase);

    public static bool IsImage(string fileName) => Set.Contains(Path.GetExtension(fileName));

    /// <summary>macOS resource-fork companions ("._photo.png") that archives and copied folders carry: never images.</summary>
    public static bool IsAppleDouble(string fileName) => fileName.StartsWith("._", StringComparison.Ordinal);

    public static string Listing => string.Join(", ", All);
}
