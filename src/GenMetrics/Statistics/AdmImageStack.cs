using GenMetrics.Checkpoints;
using GenMetrics.Imaging;

namespace GenMetrics.Statistics;

/// <summary>
/// Images of one size to be written as an ADM batch's <c>arr_0</c> (uint8 N×H×W×3, C order), streamed one image at
/// a time: <c>np.stack([np.array(Image.open(f).convert('RGB')) for f in files])</c>.
/// </summary>
/// <param name="Count">N.</param>
/// <param name="Height">H.</param>
/// <param name="Width">W.</param>
/// <param name="Images">The images in order, enumerated once.</param>
/// <param name="SourceName">The input, for error messages.</param>
internal sealed record AdmImageStack(int Count, int Height, int Width, IEnumerable<RgbImage> Images, string SourceName)
{
    /// <summary>Set when <see cref="WriteNpy"/> stopped at an image of another size (the write then failed).</summary>
    public bool MixedSizes { get; private set; }

    /// <summary>Writes the <c>.npy</c> bytes of <c>arr_0</c>.</summary>
    public void WriteNpy(Stream stream)
    {
        NpyFile.WriteHeader(stream, "u1", [Count, Height, Width, 3]);
        int written = 0;
        foreach (var image in Images)
        {
            if (image.Width != Width || image.Height != Height)
            {
                MixedSizes = true;
                throw new GenMetricsException($"{SourceName}: image {written} is {image.Width}x{image.Height}, not {Width}x{Height}; arr_0 needs images of one size");
            }
            if (++written > Count) break;
            stream.Write(image.Pixels);
        }
        if (written != Count) throw new GenMetricsException($"{SourceName}: gave {written} images, expected {Count}; do not change the input during a run");
    }
}
