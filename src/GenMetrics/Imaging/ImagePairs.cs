namespace GenMetrics.Imaging;

/// <summary>
/// The pairs of a full-reference metric (SSIM, MS-SSIM, PSNR, LPIPS): two single files, or two folders/.zip
/// archives whose images are paired by identical relative path.
/// </summary>
/// <remarks>
/// Every image must have a partner: otherwise <see cref="Open"/> fails and lists the unpaired paths. Pairs are in
/// the reference's order (ordinal by relative path). Evaluation runs in parallel and yields results in pair
/// order, so per-pair values and set means do not depend on the thread count.
/// </remarks>
public sealed class ImagePairs : IDisposable
{
    private const int ListedNames = 10;
    private readonly ImageSource _reference;
    private readonly ImageSource _distorted;

    private ImagePairs(ImageSource reference, ImageSource distorted, IReadOnlyList<ImagePair> pairs)
    {
        _reference = reference;
        _distorted = distorted;
        Pairs = pairs;
    }

    /// <summary>The pairs, in the reference's entry order.</summary>
    public IReadOnlyList<ImagePair> Pairs { get; }

    /// <summary>Lists and pairs the images of <paramref name="referencePath"/> and <paramref name="distortedPath"/>.</summary>
    /// <param name="referencePath">Reference image file, folder or .zip.</param>
    /// <param name="distortedPath">Distorted image file, folder or .zip (a file if and only if the reference is a file).</param>
    /// <param name="recursive">Include sub-folders of folders.</param>
    /// <exception cref="GenMetricsException">A path is missing or empty, a file is paired with a folder, or images lack partners.</exception>
    public static ImagePairs Open(string referencePath, string distortedPath, bool recursive = false)
    {
        var reference = ImageSource.Open(referencePath, recursive);
        ImageSource? distorted = null;
        try
        {
            distorted = ImageSource.Open(distortedPath, recursive);
            var pairs = Match(reference, distorted);
            return new ImagePairs(reference, distorted, pairs);
        }
        catch
        {
            reference.Dispose();
            distorted?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Decodes both images of every pair on up to <paramref name="maxDegreeOfParallelism"/> threads, calls
    /// <paramref name="evaluate"/> on the worker, and yields the results in pair order (at most
    /// <paramref name="capacity"/> held at once). A <see cref="GenMetricsException"/> from decoding or from
    /// <paramref name="evaluate"/> is rethrown with both file names prefixed.
    /// </summary>
    public IEnumerable<(ImagePair Pair, T Value)> EvaluateInOrder<T>(Func<RgbImage, RgbImage, T> evaluate,
        int maxDegreeOfParallelism, int capacity = 16, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(evaluate);
        return OrderedParallelDecoder.Run(Pairs, pair => Evaluate(pair, evaluate), maxDegreeOfParallelism, capacity, ct)
            .Select(r => (r.Item, r.Result));
    }

    /// <summary>Decodes the pairs in parallel and yields them in order (at most <paramref name="capacity"/> held at once).</summary>
    /// <remarks>Decoding ahead pauses while the waiting pairs hold <see cref="ImageSource.DecodedBytesAhead"/> pixel bytes or more.</remarks>
    public IEnumerable<DecodedPair> DecodeInOrder(int maxDegreeOfParallelism, int capacity = 16, CancellationToken ct = default) =>
        OrderedParallelDecoder.Run(Pairs, pair => Evaluate(pair, (r, d) => (r, d)), maxDegreeOfParallelism, capacity, ct,
                x => x.r.Pixels.LongLength + x.d.Pixels.LongLength, ImageSource.DecodedBytesAhead)
            .Select(x => new DecodedPair(x.Item, x.Result.r, x.Result.d));

    /// <summary>Closes any .zip archive.</summary>
    public void Dispose()
    {
        _reference.Dispose();
        _distorted.Dispose();
    }

    private static T Evaluate<T>(ImagePair pair, Func<RgbImage, RgbImage, T> evaluate)
    {
        var reference = pair.Reference.Decode();
        var distorted = pair.Distorted.Decode();
        try
        {
            return evaluate(reference, distorted);
        }
        catch (GenMetricsException e)
        {
            throw new GenMetricsException($"{pair.Reference.Location} vs {pair.Distorted.Location}: {e.Message}", e);
        }
    }

    private static List<ImagePair> Match(ImageSource reference, ImageSource distorted)
    {
        if (reference.IsSingleFile != distorted.IsSingleFile)
        {
            throw new GenMetricsException(
                $"{reference.Path} and {distorted.Path}: give two image files, or two folders/.zip archives, not one of each");
        }
        if (reference.IsSingleFile) return [new ImagePair(reference.Entries[0], distorted.Entries[0])];
        var byPath = new Dictionary<string, ImageEntry>(StringComparer.Ordinal);
        foreach (var e in distorted.Entries) byPath[e.RelativePath] = e;
        var pairs = new List<ImagePair>(reference.Entries.Count);
        var onlyReference = new List<string>();
        foreach (var e in reference.Entries)
        {
            if (byPath.Remove(e.RelativePath, out var partner)) pairs.Add(new ImagePair(e, partner));
            else onlyReference.Add(e.RelativePath);
        }
        if (onlyReference.Count > 0 || byPath.Count > 0)
        {
            var onlyDistorted = byPath.Keys.Order(StringComparer.Ordinal).ToList();
            var parts = new List<string>();
            if (onlyReference.Count > 0) parts.Add($"only in {reference.Path}: {Listing(onlyReference)}");
            if (onlyDistorted.Count > 0) parts.Add($"only in {distorted.Path}: {Listing(onlyDistorted)}");
            throw new GenMetricsException(
                $"{onlyReference.Count + onlyDistorted.Count} image(s) have no partner with the same relative path ({string.Join("; ", parts)}); add or remove them so both sides match");
        }
        return pairs;
    }

    private static string Listing(List<string> names) =>
        string.Join(", ", names.Take(ListedNames)) + (names.Count > ListedNames ? $" and {names.Count - ListedNames} more" : "");
}
