namespace GenMetrics.Tests.Samples;

/// <summary>
/// Makes the sample images shipped under <c>samples/images/</c>: procedural RGB scenes (a two-colour gradient,
/// filled discs and rectangles, mild noise) from a fixed seed, and degraded copies for the pair metrics. Integer
/// arithmetic only, so every machine makes the same pixels.
/// </summary>
/// <remarks>
/// <c>pairs/ref/NN.png</c> and <c>pairs/dist/NN.png</c>: four 128×128 pairs; dist is ref after a 3×3 box blur,
/// additive noise, 8×8 block quantisation (JPEG-like blocking) or blur then noise. <c>sets/a</c> and <c>sets/b</c>:
/// eight 64×64 scenes each; set b has more shapes and a warmer palette, so FID(a, b) is clearly above zero.
/// </remarks>
internal static class SampleImageGenerator
{
    public const int PairSize = 128;
    public const int PairCount = 4;
    public const int SetSize = 64;
    public const int SetCount = 8;

    /// <summary>Every sample image: its path below <c>samples/images/</c> (with '/') and its pixels.</summary>
    public static IEnumerable<(string RelativePath, int Width, int Height, byte[] Rgb)> All()
    {
        for (int i = 0; i < PairCount; i++)
        {
            byte[] reference = Scene(1000 + i, PairSize, PairSize, shapes: 5, warm: false);
            yield return ($"pairs/ref/{i:D2}.png", PairSize, PairSize, reference);
            yield return ($"pairs/dist/{i:D2}.png", PairSize, PairSize, Degrade(reference, PairSize, PairSize, i, 2000 + i));
        }
        for (int i = 0; i < SetCount; i++) yield return ($"sets/a/{i:D2}.png", SetSize, SetSize, Scene(3000 + i, SetSize, SetSize, shapes: 3, warm: false));
        for (int i = 0; i < SetCount; i++) yield return ($"sets/b/{i:D2}.png", SetSize, SetSize, Scene(4000 + i, SetSize, SetSize, shapes: 6, warm: true));
    }

    /// <summary>A gradient background with discs and rectangles and ±3 noise, row-major RGB.</summary>
    public static byte[] Scene(int seed, int width, int height, int shapes, bool warm)
    {
        var random = new SplitMix64((ulong)seed);
        var rgb = new byte[width * height * 3];
        int[] from = Colour(random, warm), to = Colour(random, warm);
        bool horizontal = random.Next(2) == 0;
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                int t = horizontal ? x : y, span = (horizontal ? width : height) - 1;
                for (int c = 0; c < 3; c++) rgb[(y * width + x) * 3 + c] = (byte)RoundDiv(from[c] * (span - t) + to[c] * t, span);
            }
        }
        for (int s = 0; s < shapes; s++)
        {
            int[] colour = Colour(random, warm);
            int cx = random.Next(width), cy = random.Next(height), r = 4 + random.Next(width / 4);
            bool disc = random.Next(2) == 0;
            for (int y = Math.Max(0, cy - r); y < Math.Min(height, cy + r); y++)
            {
                for (int x = Math.Max(0, cx - r); x < Math.Min(width, cx + r); x++)
                {
                    int dx = x - cx, dy = y - cy;
                    if (disc && dx * dx + dy * dy > r * r) continue;
                    for (int c = 0; c < 3; c++) rgb[(y * width + x) * 3 + c] = (byte)colour[c];
                }
            }
        }
        AddNoise(rgb, random, 3);
        return rgb;
    }

    /// <summary>The degradation of pair <paramref name="kind"/>: 0 blur, 1 noise, 2 block quantisation, 3 blur then noise.</summary>
    public static byte[] Degrade(byte[] reference, int width, int height, int kind, int seed)
    {
        var random = new SplitMix64((ulong)seed);
        byte[] rgb = (byte[])reference.Clone();
        switch (kind)
        {
            case 0:
                rgb = BoxBlur(rgb, width, height);
                break;
            case 1:
                AddNoise(rgb, random, 20);
                break;
            case 2:
                QuantiseBlocks(rgb, width, height, 24);
                break;
            default:
                rgb = BoxBlur(rgb, width, height);
                AddNoise(rgb, random, 10);
                break;
        }
        return rgb;
    }

    private static int[] Colour(SplitMix64 random, bool warm)
    {
        int r = random.Next(256), g = random.Next(256), b = random.Next(256);
        return warm ? [128 + r / 2, g * 3 / 4, b / 2] : [r / 2, g * 3 / 4, 128 + b / 2];
    }

    /// <summary>Adds a uniform integer in [−amplitude, amplitude] to every sample, clamped to 0..255.</summary>
    private static void AddNoise(byte[] rgb, SplitMix64 random, int amplitude)
    {
        for (int i = 0; i < rgb.Length; i++) rgb[i] = (byte)Math.Clamp(rgb[i] + random.Next(2 * amplitude + 1) - amplitude, 0, 255);
    }

    /// <summary>3×3 mean with edge replication, rounded.</summary>
    private static byte[] BoxBlur(byte[] rgb, int width, int height)
    {
        var result = new byte[rgb.Length];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    int sum = 0;
                    for (int dy = -1; dy <= 1; dy++)
                    {
                        for (int dx = -1; dx <= 1; dx++)
                        {
                            int sx = Math.Clamp(x + dx, 0, width - 1), sy = Math.Clamp(y + dy, 0, height - 1);
                            sum += rgb[(sy * width + sx) * 3 + c];
                        }
                    }
                    result[(y * width + x) * 3 + c] = (byte)RoundDiv(sum, 9);
                }
            }
        }
        return result;
    }

    /// <summary>Per 8×8 block and channel: the block mean plus the deviation rounded to a multiple of <paramref name="step"/>.</summary>
    private static void QuantiseBlocks(byte[] rgb, int width, int height, int step)
    {
        for (int by = 0; by < height; by += 8)
        {
            for (int bx = 0; bx < width; bx += 8)
            {
                int h = Math.Min(8, height - by), w = Math.Min(8, width - bx);
                for (int c = 0; c < 3; c++)
                {
                    int sum = 0;
                    for (int y = by; y < by + h; y++) for (int x = bx; x < bx + w; x++) sum += rgb[(y * width + x) * 3 + c];
                    int mean = RoundDiv(sum, w * h);
                    for (int y = by; y < by + h; y++)
                    {
                        for (int x = bx; x < bx + w; x++)
                        {
                            int i = (y * width + x) * 3 + c;
                            rgb[i] = (byte)Math.Clamp(mean + RoundDiv(rgb[i] - mean, step) * step, 0, 255);
                        }
                    }
                }
            }
        }
    }

    /// <summary>a / b rounded half away from zero (b &gt; 0).</summary>
    private static int RoundDiv(int a, int b) => a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);

    /// <summary>SplitMix64 (Steele, Lea, Flood 2014): a fixed, portable sequence per seed.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong _state = seed;

        public int Next(int bound)
        {
            _state += 0x9E3779B97F4A7C15UL;
            ulong z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z % (ulong)bound);
        }
    }
}
