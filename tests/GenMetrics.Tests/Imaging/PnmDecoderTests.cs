using System.Text;
using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

/// <summary>
/// Netpbm with Pillow 9.4 semantics: samples as stored (no maxval rescale), 16-bit PGM clipped to 255,
/// PBM 1 = black, PPM with maxval &gt; 255 rejected.
/// </summary>
public sealed class PnmDecoderTests
{
    private static byte[] Bytes(string header, params byte[] body) => [.. Encoding.ASCII.GetBytes(header), .. body];

    [Fact]
    public void RawGrayAndColour()
    {
        var gray = ImageDecoder.Decode(Bytes("P5\n# comment\n3 1\n255\n", 0, 128, 255), "g.pgm");
        Assert.Equal([0, 0, 0, 128, 128, 128, 255, 255, 255], gray.Pixels);
        var colour = ImageDecoder.Decode(Bytes("P6 2 1 255\n", 1, 2, 3, 4, 5, 6), "c.ppm");
        Assert.Equal([1, 2, 3, 4, 5, 6], colour.Pixels);
    }

    [Fact]
    public void SmallMaxvalIsNotRescaled()
    {
        var gray = ImageDecoder.Decode(Bytes("P5 2 1 15\n", 7, 15), "g.pgm");
        Assert.Equal([7, 7, 7, 15, 15, 15], gray.Pixels);
    }

    [Fact]
    public void SixteenBitGrayIsClipped()
    {
        var gray = ImageDecoder.Decode(Bytes("P5 3 1 65535\n", 0x00, 0x10, 0x01, 0x00, 0xFF, 0xFF), "g.pgm");
        Assert.Equal([16, 16, 16, 255, 255, 255, 255, 255, 255], gray.Pixels);
    }

    [Fact]
    public void BitmapsAndPlainFormats()
    {
        var raw = ImageDecoder.Decode(Bytes("P4 3 1\n", 0b1010_0000), "b.pbm");
        Assert.Equal([0, 0, 0, 255, 255, 255, 0, 0, 0], raw.Pixels);
        var plain = ImageDecoder.Decode(Bytes("P1 3 1\n1 0 1"), "b.pbm");
        Assert.Equal(raw.Pixels, plain.Pixels);
        var plainColour = ImageDecoder.Decode(Bytes("P3\n2 1\n255\n1 2 3 # c\n4 5 6\n"), "c.ppm");
        Assert.Equal([1, 2, 3, 4, 5, 6], plainColour.Pixels);
    }

    [Fact]
    public void SixteenBitColourAndTruncatedDataAreUserErrors()
    {
        Assert.Contains("maxval", Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode(Bytes("P6 1 1 65535\n", 0, 0, 0, 0, 0, 0), "c.ppm")).Message, StringComparison.Ordinal);
        Assert.Contains("truncated", Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode(Bytes("P6 2 2 255\n", 1, 2, 3), "c.ppm")).Message, StringComparison.Ordinal);
    }
}
