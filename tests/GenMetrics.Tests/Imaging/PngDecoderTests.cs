using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

/// <summary>
/// Colour types, bit depths, filters and Adam7 beyond the odd fixtures, with Pillow 9.4's conversion rules
/// restated here: 1/2/4-bit gray scaled by 255/(2^d − 1); 16-bit gray (mode I) clipped to 255; 16-bit colour and
/// gray+alpha keep the high byte; alpha dropped; palette indices past PLTE map to Pillow's gray ramp.
/// </summary>
public sealed class PngDecoderTests
{
    public static TheoryData<int, int, bool> Formats()
    {
        var data = new TheoryData<int, int, bool>();
        foreach (bool interlaced in new[] { false, true })
        {
            foreach (int d in new[] { 1, 2, 4, 8, 16 }) data.Add(0, d, interlaced);
            foreach (int d in new[] { 1, 2, 4, 8 }) data.Add(3, d, interlaced);
            foreach (int t in new[] { 2, 4, 6 })
            {
                data.Add(t, 8, interlaced);
                data.Add(t, 16, interlaced);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void DecodesWithPillowSemantics(int colorType, int bitDepth, bool interlaced)
    {
        foreach (var (w, h) in new[] { (1, 1), (3, 2), (13, 11), (9, 17) })
        {
            int channels = colorType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
            var random = new Random(w * 1000 + h * 10 + colorType + bitDepth);
            int max = (1 << bitDepth) - 1;
            var samples = new int[w * h * channels];
            for (int i = 0; i < samples.Length; i++) samples[i] = random.Next(max + 1);
            byte[]? palette = null;
            if (colorType == 3)
            {
                int entries = Math.Max(1, (max + 1) / 2); // indices past the PLTE length exercise the gray ramp
                palette = new byte[3 * entries];
                random.NextBytes(palette);
            }
            byte[] png = PngTestWriter.Write(w, h, colorType, bitDepth, samples, interlaced, palette);
            var image = ImageDecoder.Decode(png, "generated.png");
            Assert.Equal(w, image.Width);
            Assert.Equal(h, image.Height);
            for (int p = 0; p < w * h; p++)
            {
                var expected = Expected(samples.AsSpan(p * channels, channels), colorType, bitDepth, palette);
                var actual = image.Pixels.AsSpan(3 * p, 3).ToArray();
                Assert.True(expected.SequenceEqual(actual),
                    $"type {colorType} depth {bitDepth} interlaced {interlaced} {w}x{h} pixel {p}: expected {string.Join(",", expected)}, got {string.Join(",", actual)}");
            }
        }
    }

    private static byte[] Expected(ReadOnlySpan<int> s, int colorType, int bitDepth, byte[]? palette)
    {
        byte Narrow(int v) => bitDepth == 16 ? (byte)(v >> 8) : (byte)v;
        switch (colorType)
        {
            case 0:
            {
                byte g = bitDepth switch
                {
                    16 => (byte)Math.Min(s[0], 255),
                    8 => (byte)s[0],
                    _ => (byte)(s[0] * 255 / ((1 << bitDepth) - 1)),
                };
                return [g, g, g];
            }
            case 3:
                return 3 * s[0] + 2 < palette!.Length
                    ? [palette[3 * s[0]], palette[3 * s[0] + 1], palette[3 * s[0] + 2]]
                    : [(byte)s[0], (byte)s[0], (byte)s[0]];
            case 4:
                return [Narrow(s[0]), Narrow(s[0]), Narrow(s[0])];
            default:
                return [Narrow(s[0]), Narrow(s[1]), Narrow(s[2])];
        }
    }
}
