using GenMetrics.Evaluation;
using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Reports;

/// <summary>
/// Thumbnails of one side (REAL or FAKE) of an evaluation by feature row, when that side is images: rows follow
/// the sorted entries the feature pass read. Each image is decoded at most once, and only when shown.
/// </summary>
internal sealed class SampleThumbnails : IDisposable
{
    private readonly ImageSource? _source;
    private readonly Dictionary<int, EmbeddedPng> _cache = [];

    private SampleThumbnails(ImageSource? source) => _source = source;

    /// <summary>Null images when <paramref name="path"/> is a feature or statistics file, or its image count is not <paramref name="rows"/>.</summary>
    public static SampleThumbnails Open(string? path, long rows)
    {
        if (path is null || !DistributionEvaluation.IsImageInput(path)) return new SampleThumbnails(null);
        var source = ImageSource.Open(path);
        if (source.Entries.Count != rows)
        {
            source.Dispose();
            return new SampleThumbnails(null);
        }
        return new SampleThumbnails(source);
    }

    /// <summary>Whether this side has images to show.</summary>
    public bool HasImages => _source is not null;

    /// <summary>The image name of a row ("row N" for feature files).</summary>
    public string Name(int row) => _source?.Entries[row].RelativePath ?? $"row {row}";

    /// <summary>The thumbnail of a row, or null without images.</summary>
    public EmbeddedPng? Thumbnail(int row)
    {
        if (_source is null) return null;
        if (!_cache.TryGetValue(row, out var png))
        {
            png = Thumbnails.Of(_source.Entries[row].Decode());
            _cache[row] = png;
        }
        return png;
    }

    public void Dispose() => _source?.Dispose();
}
