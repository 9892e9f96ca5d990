using System.Buffers;
using GenMetrics.Imaging;

namespace GenMetrics.Metrics;

/// <summary>
/// A reference/distorted pair as float64 channel planes, the form the pixel metrics compute on. A pair whose two
/// images are both gray (three equal channels, e.g. decoded 'L' files) gives ONE plane, which is how
/// scikit-image and pytorch-msssim saw the grayscale fixtures (2-D arrays / 1 channel); the value equals the
/// three-channel mean up to rounding. Planes are rented from the shared pool (no large-object allocation per
/// pair); dispose to return them. Each plane holds exactly Width·Height values at its start.
/// </summary>
internal sealed class PixelPairPlanes : IDisposable
{
    private PixelPairPlanes(int width, int height, double[][] reference, double[][] distorted)
    {
        Width = width;
        Height = height;
        Reference = reference;
        Distorted = distorted;
    }

    public int Width { get; }

    public int Height { get; }

    public int Channels => Reference.Length;

    public double[][] Reference { get; }

    public double[][] Distorted { get; }

    public int Length => Width * Height;

    public ReadOnlySpan<double> ReferencePlane(int channel) => Reference[channel].AsSpan(0, Length);

    public ReadOnlySpan<double> DistortedPlane(int channel) => Distorted[channel].AsSpan(0, Length);

    public void Dispose()
    {
        foreach (var plane in Reference) ArrayPool<double>.Shared.Return(plane);
        foreach (var plane in Distorted) ArrayPool<double>.Shared.Return(plane);
        Array.Clear(Reference);
        Array.Clear(Distorted);
    }

    public static PixelPairPlanes From(RgbImage reference, RgbImage distorted)
    {
        RequireSameSize(reference, distorted);
        int channels = reference.IsGray() && distorted.IsGray() ? 1 : 3;
        var r = new double[channels][];
        var d = new double[channels][];
        for (int c = 0; c < channels; c++)
        {
            r[c] = Plane(reference, c);
            d[c] = Plane(distorted, c);
        }
        return new PixelPairPlanes(reference.Width, reference.Height, r, d);
    }

    /// <exception cref="GenMetricsException">The two images differ in size.</exception>
    public static void RequireSameSize(RgbImage reference, RgbImage distorted)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        if (reference.Width != distorted.Width || reference.Height != distorted.Height)
        {
            throw new GenMetricsException(
                $"images differ in size: reference {reference.Width}x{reference.Height}, distorted {distorted.Width}x{distorted.Height}; a pair must have the same size");
        }
    }

    private static double[] Plane(RgbImage image, int channel)
    {
        int length = image.Width * image.Height;
        var plane = ArrayPool<double>.Shared.Rent(length);
        var p = image.Pixels;
        for (int i = 0, s = channel; i < length; i++, s += 3) plane[i] = p[s];
        return plane;
    }
}
