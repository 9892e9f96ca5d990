namespace GenMetrics.Imaging;

/// <summary>
/// Decoded pixels exactly as Pillow's <c>Image.open(f).convert('RGB')</c> gives them: 8-bit RGB, interleaved
/// (HWC), row-major, <c>Width·Height·3</c> bytes, no alpha, no colour management, no EXIF rotation.
/// </summary>
/// <remarks>
/// This is the input every metric sees (pytorch-fid, torch-fidelity and clean-fid all call
/// <c>np.asarray(Image.open(f).convert('RGB'))</c>). Parity: pixel-identical to Pillow 9.4 on every
/// <c>images/odd</c> fixture (see docs/imaging.md).
/// </remarks>
public sealed class RgbImage
{
    /// <summary>Wraps <paramref name="pixels"/> (not copied) as a <paramref name="width"/>×<paramref name="height"/> RGB image.</summary>
    /// <exception cref="ArgumentException">The sizes are not positive or the buffer is not <c>width·height·3</c> bytes.</exception>
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if ((long)width * height * 3 != pixels.Length)
        {
            throw new ArgumentException($"expected {(long)width * height * 3} bytes for {width}x{height} RGB, got {pixels.Length}", nameof(pixels));
        }
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    /// <summary>Columns.</summary>
    public int Width { get; }

    /// <summary>Rows.</summary>
    public int Height { get; }

    /// <summary>HWC interleaved RGB bytes, row-major: pixel (x, y) channel c is at <c>(y·Width + x)·3 + c</c>.</summary>
    public byte[] Pixels { get; }

    /// <summary>True when the three channels are equal at every pixel (e.g. a decoded grayscale file).</summary>
    public bool IsGray()
    {
        var p = Pixels.AsSpan();
        for (int i = 0; i < p.Length; i += 3)
        {
            if (p[i] != p[i + 1] || p[i] != p[i + 2]) return false;
        }
        return true;
    }
}
