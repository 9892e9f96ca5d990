using System.IO.Compression;
using GenMetrics.Checkpoints;

namespace GenMetrics.Imaging;

/// <summary>
/// An ADM-format batch (guided-diffusion <c>evaluations/evaluator.py</c>): an <c>.npz</c> whose <c>arr_0</c> holds
/// uint8 images N×H×W×3 (<c>np.savez(path, arr_0=images)</c>). Reference batches also hold <c>mu</c>, <c>sigma</c>,
/// <c>mu_s</c>, <c>sigma_s</c> (see <see cref="Statistics.AdmReferenceStatistics"/>). The images are streamed from
/// the archive member one at a time, so a 50k-image batch never sits in memory.
/// </summary>
internal sealed class AdmBatchFile
{
    /// <summary>The member holding the images.</summary>
    public const string ImagesKey = "arr_0";

    private AdmBatchFile(string path, int count, int height, int width, IReadOnlyList<string> keys, long length, DateTime lastWriteUtc)
    {
        Path = path;
        Count = count;
        Height = height;
        Width = width;
        Keys = keys;
        Length = length;
        LastWriteTimeUtc = lastWriteUtc;
    }

    /// <summary>The path as given.</summary>
    public string Path { get; }

    /// <summary>N.</summary>
    public int Count { get; }

    /// <summary>H.</summary>
    public int Height { get; }

    /// <summary>W.</summary>
    public int Width { get; }

    /// <summary>Every array name in the archive (without ".npy").</summary>
    public IReadOnlyList<string> Keys { get; }

    /// <summary>File size in bytes (for the feature cache identity).</summary>
    public long Length { get; }

    /// <summary>Modification time (for the feature cache identity).</summary>
    public DateTime LastWriteTimeUtc { get; }

    /// <summary>Whether the batch also carries reference statistics (<c>mu</c> present).</summary>
    public bool HasStatistics => Keys.Contains("mu");

    /// <summary>Whether <paramref name="path"/> is an existing <c>.npz</c> with an <c>arr_0</c> member (only the zip directory is read).</summary>
    public static bool IsBatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!path.EndsWith(".npz", StringComparison.OrdinalIgnoreCase) || !File.Exists(path)) return false;
        if (FileKindPolicy.NonRegularKind(path) is not null) return false;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.GetEntry(ImagesKey + ".npy") is not null;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            return false; // the reader that follows reports the damage by name
        }
    }

    /// <summary>Opens a batch and checks its <c>arr_0</c> header.</summary>
    /// <exception cref="GenMetricsException"><c>arr_0</c> is missing, not uint8 N×H×W×3, or shorter than its header says.</exception>
    public static AdmBatchFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new GenMetricsException($"{path}: file not found");
        FileKindPolicy.RequireRegularInput(path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(ImagesKey + ".npy")
                ?? throw new GenMetricsException($"{path}: no '{ImagesKey}' array; an ADM sample batch is np.savez(path, arr_0=uint8 N x H x W x 3)");
            var keys = zip.Entries.Select(e => e.FullName.EndsWith(".npy", StringComparison.Ordinal) ? e.FullName[..^4] : e.FullName).ToArray();
            using var stream = entry.Open();
            var (count, height, width, dataBytes) = ReadImagesHeader(stream, path);
            long headerBytes = stream.CanSeek ? stream.Position : -1;
            if (entry.Length < dataBytes + Math.Max(headerBytes, 0))
            {
                throw new GenMetricsException($"{path}: {ImagesKey} declares {count} x {height} x {width} x 3 bytes but the member holds only {entry.Length} bytes; the file is truncated, write it again");
            }
            var info = new FileInfo(path);
            return new AdmBatchFile(path, count, height, width, keys, info.Length, info.LastWriteTimeUtc);
        }
        catch (InvalidDataException e)
        {
            throw new GenMetricsException($"{path}: not a valid .npz archive ({e.Message})", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GenMetricsException($"{path}: permission denied; make the file readable", e);
        }
    }

    /// <summary>The images in order, read lazily from the archive (one H×W×3 buffer per image).</summary>
    /// <exception cref="GenMetricsException">The member ends early.</exception>
    public IEnumerable<RgbImage> Images()
    {
        using var zip = ZipFile.OpenRead(Path);
        var entry = zip.GetEntry(ImagesKey + ".npy") ?? throw new GenMetricsException($"{Path}: '{ImagesKey}' disappeared while reading; do not change the file during a run");
        using var stream = entry.Open();
        var (count, height, width, _) = ReadImagesHeader(stream, Path);
        if (count != Count || height != Height || width != Width) throw new GenMetricsException($"{Path}: '{ImagesKey}' changed while reading; do not change the file during a run");
        int imageBytes = height * width * 3;
        for (int i = 0; i < count; i++)
        {
            var pixels = new byte[imageBytes];
            try
            {
                stream.ReadExactly(pixels);
            }
            catch (EndOfStreamException e)
            {
                throw new GenMetricsException($"{Path}: {ImagesKey} ends inside image {i} of {count}; the file is truncated, write it again", e);
            }
            catch (InvalidDataException e)
            {
                throw new GenMetricsException($"{Path}: {ImagesKey} is damaged at image {i} ({e.Message}); write it again", e);
            }
            yield return new RgbImage(width, height, pixels);
        }
    }

    /// <summary>Reads the .npy header of <c>arr_0</c> and checks it is C-order uint8 N×H×W×3 within the image size limit.</summary>
    private static (int Count, int Height, int Width, long DataBytes) ReadImagesHeader(Stream stream, string path)
    {
        string name = $"{path}:{ImagesKey}";
        NpyHeader header = NpyFile.ReadHeader(stream, name);
        var (dtype, fortran, shape) = (header.Dtype, header.Fortran, header.Shape);
        string shapeText = "(" + string.Join(", ", shape) + ")";
        if (dtype != "u1" || shape.Length != 4 || shape[3] != 3)
        {
            string hint = shape.Length == 4 && shape[1] == 3 && shape[3] != 3 ? " (this looks like N x 3 x H x W; transpose it to N x H x W x 3)" : "";
            throw new GenMetricsException($"{path}: {ImagesKey} has dtype {dtype} and shape {shapeText}; an ADM sample batch holds uint8 images N x H x W x 3{hint}");
        }
        if (fortran) throw new GenMetricsException($"{path}: {ImagesKey} is stored in Fortran order; save a C-order array (np.ascontiguousarray)");
        if (shape[0] < 1 || shape[1] < 1 || shape[2] < 1) throw new GenMetricsException($"{path}: {ImagesKey} has shape {shapeText}; it holds no images");
        if ((long)shape[1] * shape[2] > ImageSizeLimit.MaxPixels)
        {
            throw new GenMetricsException($"{path}: {ImagesKey} images are {shape[2]}x{shape[1]}, more than {ImageSizeLimit.MaxPixels} pixels; resize the batch");
        }
        return (shape[0], shape[1], shape[2], (long)shape[0] * shape[1] * shape[2] * 3);
    }
}
