using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

/// <summary>Every unreadable input is one GenMetricsException that names the file.</summary>
public sealed class ImageDecoderErrorTests
{
    public static TheoryData<string, int> TruncatedFiles() => new()
    {
        { "png_rgba.png", 2 },
        { "png_rgba.png", 60 },
        { "jpeg_baseline_q75_420.jpg", 2 },
        { "jpeg_progressive.jpg", 3 },
        { "bmp_rgb24.bmp", 2 },
    };

    [Theory]
    [MemberData(nameof(TruncatedFiles))]
    public void TruncatedFileIsAUserError(string file, int keepPercent)
    {
        byte[] data = File.ReadAllBytes(Fixtures.Path("images", "odd", file));
        var cut = data.AsSpan(0, data.Length * keepPercent / 100).ToArray();
        var e = Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode(cut, "cut/" + file));
        Assert.Contains("cut/" + file, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void CorruptPngImageDataIsAUserError()
    {
        byte[] data = File.ReadAllBytes(Fixtures.Path("images", "odd", "png_gray.png"));
        int idat = data.AsSpan().IndexOf("IDAT"u8);
        for (int i = idat + 10; i < idat + 60; i++) data[i] ^= 0x5A;
        var e = Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode(data, "bad.png"));
        Assert.StartsWith("bad.png:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptHeaderCrcIsAUserError()
    {
        byte[] data = File.ReadAllBytes(Fixtures.Path("images", "odd", "png_gray.png"));
        data[20] ^= 0xFF; // inside IHDR
        var e = Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode(data, "bad.png"));
        Assert.Contains("CRC", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DecompressionBombIsRefusedBeforeAllocating()
    {
        // A valid IHDR declaring 20000 x 20000 pixels (4e8 > Pillow's 178,956,970 limit) and nothing else.
        byte[] png = PngTestWriter.Write(1, 1, 0, 8, [0], interlaced: false);
        png[16] = 0; png[17] = 0; png[18] = 0x4E; png[19] = 0x20; // width 20000
        png[20] = 0; png[21] = 0; png[22] = 0x4E; png[23] = 0x20; // height 20000
        uint crc = GenMetrics.Imaging.PngCrc32.Compute(png.AsSpan(12, 17));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), crc);
        var e = Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode(png, "bomb.png"));
        Assert.Contains("decompression-bomb", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFormatAndEmptyFileAreUserErrors()
    {
        Assert.Contains("not a recognised image format", Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode("hello"u8, "x.png")).Message, StringComparison.Ordinal);
        Assert.Contains("empty", Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode(ReadOnlySpan<byte>.Empty, "x.png")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsAUserError()
    {
        var e = Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode("/no/such/image.png"));
        Assert.Contains("/no/such/image.png", e.Message, StringComparison.Ordinal);
    }
}
