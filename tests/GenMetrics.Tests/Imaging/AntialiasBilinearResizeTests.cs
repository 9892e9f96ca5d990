using GenMetrics.Features;
using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

/// <summary>
/// <see cref="PyTorchAntialiasBilinearResize"/> against a plain float64 reference of the antialiased triangle
/// filter (written here from Pillow's/torch's definition), and its special cases. Bit-level parity with torch is
/// measured through the features (<c>Features.TorchmetricsParityTests</c>), since the golden holds no resized planes.
/// </summary>
public sealed class AntialiasBilinearResizeTests
{
    [Theory]
    [InlineData(256, 256, 299, 299)]
    [InlineData(512, 384, 299, 299)]
    [InlineData(40, 1000, 299, 299)]
    [InlineData(17, 33, 299, 299)]
    [InlineData(1, 5, 3, 2)]
    [InlineData(7, 7, 2, 3)]
    public void MatchesFloat64TriangleFilter(int inH, int inW, int outH, int outW)
    {
        float[] source = Pattern(inH * inW);
        var actual = new float[outH * outW];
        PyTorchAntialiasBilinearResize.Resize(source, inH, inW, actual, outH, outW);
        double[] expected = Reference(source, inH, inW, outH, outW);
        // Tier float32-kernel: float32 weights and accumulation over at most ~2·scale + 1 taps per pass of
        // 0..255 values; 1e-4 absolute + 1e-5 relative is ~20 float32 ulps at 255.
        Tolerance.AllClose(expected, actual.Select(v => (double)v).ToArray(), 1e-4, 1e-5, $"{inH}x{inW} -> {outH}x{outW}");
    }

    [Fact]
    public void HalvingIsTheOneThreeThreeOneFilter()
    {
        // scale 2: support 2, taps at offsets −1.5, −0.5, 0.5, 1.5 weigh 1/4, 3/4, 3/4, 1/4 before normalising.
        float[] row = [10, 20, 40, 80, 160, 200, 220, 250];
        var output = new float[4];
        PyTorchAntialiasBilinearResize.Resize(row, 1, 8, output, 1, 4);
        Assert.Equal((10 * 3 + 20 * 3 + 40 * 1) / 7f, output[0], 4);
        Assert.Equal((20 * 1 + 40 * 3 + 80 * 3 + 160 * 1) / 8f, output[1], 4);
        Assert.Equal((80 * 1 + 160 * 3 + 200 * 3 + 220 * 1) / 8f, output[2], 4);
        Assert.Equal((200 * 1 + 220 * 3 + 250 * 3) / 7f, output[3], 4);
    }

    [Fact]
    public void EnlargingEqualsHalfPixelBilinear()
    {
        // When scale < 1 the triangle keeps its unit support: ordinary bilinear with half-pixel centres.
        float[] source = Pattern(256 * 200);
        var aa = new float[299 * 299];
        var plain = new float[299 * 299];
        PyTorchAntialiasBilinearResize.Resize(source, 256, 200, aa, 299, 299);
        PyTorchBilinearResize.Resize(source, 256, 200, plain, 299, 299);
        // Same weights up to the float32 rounding of the sample positions (the antialiased kernel stores the
        // centre as float32: half an ulp at 256 is 1.5e-5 px) times this pattern's steepest step (255 per px):
        // 5e-3 absolute on 0..255.
        Tolerance.AllClose(plain, aa, 5e-3, 0, "antialiased vs plain bilinear when enlarging");
    }

    [Fact]
    public void VectorHeightPassEqualsScalarTapOrder()
    {
        // Height-only resizes (width unchanged) over widths 1..40, i.e. vector lanes plus every tail length,
        // against the plain scalar sum in tap order with the kernel's own weights: bit-identical.
        for (int width = 1; width <= 40; width++)
        {
            foreach (var (inH, outH) in new[] { (37, 11), (11, 37), (300, 299) })
            {
                float[] source = Pattern(inH * width);
                var actual = new float[outH * width];
                PyTorchAntialiasBilinearResize.Resize(source, inH, width, actual, outH, width);
                var filter = PyTorchAntialiasBilinearResize.AxisFilter.Create(inH, outH);
                for (int y = 0; y < outH; y++)
                {
                    ReadOnlySpan<float> w = filter.WeightsOf(y);
                    for (int x = 0; x < width; x++)
                    {
                        float sum = source[filter.Start[y] * width + x] * w[0];
                        for (int j = 1; j < w.Length; j++) sum += source[(filter.Start[y] + j) * width + x] * w[j];
                        Assert.Equal(sum, actual[y * width + x]);
                    }
                }
            }
        }
    }

    [Fact]
    public void UnchangedSizeIsACopy()
    {
        float[] source = Pattern(299 * 299);
        var output = new float[source.Length];
        PyTorchAntialiasBilinearResize.Resize(source, 299, 299, output, 299, 299);
        Assert.Equal(source, output);
    }

    [Fact]
    public void TorchmetricsProtocolLeaves299InputsUnresized()
    {
        const int size = 299;
        var rgb = new byte[size * size * 3];
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 31 % 256);
        var prepared = new float[3 * size * size];
        KnownProtocols.Torchmetrics.Prepare(rgb, size, size, prepared);
        var withoutAntialias = new float[prepared.Length];
        KnownProtocols.TorchmetricsNoAntialias.Prepare(rgb, size, size, withoutAntialias);
        // antialias on and off give the same network input at 299 (the golden README's observation).
        Assert.Equal(withoutAntialias, prepared);
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < size * size; i++)
            {
                Assert.Equal((rgb[i * 3 + c] - 128f) / 128f, prepared[c * size * size + i]);
            }
        }
    }

    [Fact]
    public void NormalizeTruncatesLikeTorchByte()
    {
        var image = UnitFloatPixels.ToRgbImage([0f, 0.999f, 1f, 0.5f, 0.00392f, 0.996f], 2, 1);
        Assert.Equal(new byte[] { 0, 254, 255, 127, 0, 253 }, image.Pixels);
        Assert.Throws<GenMetricsException>(() => UnitFloatPixels.ToRgbImage([0f, 1.5f, 0f], 1, 1));
    }

    private static float[] Pattern(int length)
    {
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = (i * 37 + i / 13 * 11) % 256;
        return values;
    }

    private static double[] Reference(float[] source, int inH, int inW, int outH, int outW)
    {
        var tmp = new double[inH * outW];
        for (int y = 0; y < inH; y++)
        {
            var line = new double[inW];
            for (int x = 0; x < inW; x++) line[x] = source[y * inW + x];
            double[] resized = Resample(line, outW);
            Array.Copy(resized, 0, tmp, y * outW, outW);
        }
        var result = new double[outH * outW];
        for (int x = 0; x < outW; x++)
        {
            var column = new double[inH];
            for (int y = 0; y < inH; y++) column[y] = tmp[y * outW + x];
            double[] resized = Resample(column, outH);
            for (int y = 0; y < outH; y++) result[y * outW + x] = resized[y];
        }
        return result;
    }

    /// <summary>
    /// Pillow's antialiased triangle filter on one line: weights, normalisation and sums in float64, sample
    /// positions rounded as torch stores them (float32 scale and centre), since a position error of 1e-5 px
    /// already moves a steep edge's output by 1e-3.
    /// </summary>
    private static double[] Resample(double[] line, int outSize)
    {
        int inSize = line.Length;
        if (inSize == outSize) return line;
        double scale = (float)inSize / outSize;
        double filterScale = Math.Max(scale, 1.0);
        double support = filterScale;
        var output = new double[outSize];
        for (int i = 0; i < outSize; i++)
        {
            double center = (float)((i + 0.5) * scale);
            int min = Math.Max((int)(center - support + 0.5), 0);
            int max = Math.Min((int)(center + support + 0.5), inSize);
            double sum = 0, weights = 0;
            for (int x = min; x < max; x++)
            {
                double offset = (float)((float)x - (float)center);
                double w = Math.Max(0, 1 - Math.Abs((offset + 0.5) / filterScale));
                sum += w * line[x];
                weights += w;
            }
            output[i] = sum / weights;
        }
        return output;
    }
}
