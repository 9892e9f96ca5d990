using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

/// <summary>
/// Baseline TIFF with Pillow's conversion rules restated: extra samples dropped, WhiteIsZero inverted, bilevel
/// 0/255, ColorMap entries narrowed by // 256. Also one real file: Python's test image, which must equal its PNG.
/// </summary>
public sealed class TiffDecoderTests
{
    public static TheoryData<int, int> Codings()
    {
        var data = new TheoryData<int, int>();
        foreach (int compression in new[] { 1, 5, 8, 32773 })
        {
            data.Add(compression, 1);
            data.Add(compression, 2);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Codings))]
    public void RgbRgbaGrayAndPaletteDecode(int compression, int predictor)
    {
        const int w = 37, h = 11;
        var random = new Random(compression + predictor);
        // Smooth-ish content with repeats so LZW and PackBits both find runs and build long strings.
        byte Sample(int x, int y, int c) => (byte)((x * 7 + y * 13 + c * 50 + (random.Next(4) == 0 ? random.Next(256) : 0)) & 0xFF);
        foreach (int samples in new[] { 3, 4 })
        {
            var raster = new byte[w * h * samples];
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) for (int c = 0; c < samples; c++) raster[(y * w + x) * samples + c] = Sample(x, y, c);
            var image = ImageDecoder.Decode(TiffTestWriter.Write(w, h, samples, 2, raster, compression, predictor, extraSamples: samples == 4 ? 2 : -1), "t.tif");
            for (int p = 0; p < w * h; p++) Assert.Equal(raster.AsSpan(p * samples, 3).ToArray(), image.Pixels.AsSpan(p * 3, 3).ToArray());
        }
        var gray = new byte[w * h];
        for (int i = 0; i < gray.Length; i++) gray[i] = Sample(i % w, i / w, 0);
        foreach (int photometric in new[] { 0, 1 })
        {
            var image = ImageDecoder.Decode(TiffTestWriter.Write(w, h, 1, photometric, gray, compression, predictor), "g.tif");
            for (int p = 0; p < w * h; p++)
            {
                byte v = photometric == 0 ? (byte)(255 - gray[p]) : gray[p];
                Assert.Equal([v, v, v], image.Pixels.AsSpan(p * 3, 3).ToArray());
            }
        }
        var map = new ushort[3 * 256];
        for (int i = 0; i < map.Length; i++) map[i] = (ushort)random.Next(65536);
        var palette = ImageDecoder.Decode(TiffTestWriter.Write(w, h, 1, 3, gray, compression, predictor, map), "p.tif");
        for (int p = 0; p < w * h; p++)
        {
            int k = gray[p];
            Assert.Equal([(byte)(map[k] / 256), (byte)(map[256 + k] / 256), (byte)(map[512 + k] / 256)], palette.Pixels.AsSpan(p * 3, 3).ToArray());
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(5, 1)]
    [InlineData(5, 2)]
    [InlineData(8, 2)]
    [InlineData(32773, 1)]
    public void FilesWrittenByLibtiffDecodeExactly(int compression, int predictor)
    {
        // Debian's libtiff6 is part of this machine image (and of CI's); its absence is a failure, not a silent pass.
        Assert.True(LibtiffWriter.IsAvailable, "libtiff.so.6 not found: apt-get install libtiff6");
        var source = ImageDecoder.Decode(Fixtures.Path("images", "pairs", "07_ref.png"));
        using var dir = new ScratchFolder();
        string path = dir.File($"libtiff_{compression}_{predictor}.tif");
        LibtiffWriter.WriteRgb(path, source.Width, source.Height, source.Pixels, compression, predictor);
        Assert.Equal(source.Pixels, ImageDecoder.Decode(path).Pixels);
    }

    [Fact]
    public void LongLzwStripCrossesEveryCodeWidthAndTableReset()
    {
        const int w = 256, h = 64;
        var random = new Random(5);
        var raster = new byte[w * h * 3];
        random.NextBytes(raster); // incompressible: the table fills and is cleared many times
        var image = ImageDecoder.Decode(TiffTestWriter.Write(w, h, 3, 2, raster, 5, rowsPerStrip: h), "big.tif");
        Assert.Equal(raster, image.Pixels);
    }

    [Fact]
    public void BilevelIsZeroOr255()
    {
        byte[] raster = [0b1010_0000, 0b0100_0000];
        var black = ImageDecoder.Decode(TiffTestWriter.Write(3, 2, 1, 1, raster, 1, bitsPerSample: 1), "b.tif");
        Assert.Equal([255, 255, 255, 0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 255, 255, 0, 0, 0], black.Pixels);
        var white = ImageDecoder.Decode(TiffTestWriter.Write(3, 2, 1, 0, raster, 1, bitsPerSample: 1), "b.tif");
        Assert.Equal(black.Pixels.Select(v => (byte)(255 - v)), white.Pixels);
    }

    [Fact]
    public void UnsupportedVariantsAndTruncationAreUserErrors()
    {
        var raster = new byte[4 * 4 * 4];
        var associated = TiffTestWriter.Write(4, 4, 4, 2, raster, 1, extraSamples: 1);
        Assert.Contains("convert it to PNG", Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode(associated, "a.tif")).Message, StringComparison.Ordinal);
        var full = TiffTestWriter.Write(16, 16, 3, 2, new byte[16 * 16 * 3], 1);
        var e = Assert.Throws<GenMetricsException>(() => ImageDecoder.Decode(full.AsSpan(0, 200), "cut.tif"));
        Assert.StartsWith("cut.tif: ", e.Message, StringComparison.Ordinal);
    }
}
