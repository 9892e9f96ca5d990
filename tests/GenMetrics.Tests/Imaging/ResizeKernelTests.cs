using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

public sealed class ResizeKernelTests
{
    /// <summary>
    /// Every <c>golden/clean/resized_clean__FOLDER__STEM.npy</c> with its source image <c>images/FOLDER/STEM.*</c>,
    /// read from the fixture tree so that any fixture tree with this layout is covered.
    /// </summary>
    public static TheoryData<string, string> CleanGoldens
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (string golden in Directory.GetFiles(Fixtures.Path("golden", "clean"), "resized_clean__*.npy").Order(StringComparer.Ordinal))
            {
                string name = Path.GetFileName(golden);
                string[] parts = name["resized_clean__".Length..^".npy".Length].Split("__");
                Assert.Equal(2, parts.Length);
                string source = Directory.GetFiles(Fixtures.Path("images", parts[0]), parts[1] + ".*").Single();
                data.Add($"{parts[0]}/{Path.GetFileName(source)}", name);
            }
            Assert.NotEmpty(data);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(CleanGoldens))]
    public void CleanResizeMatchesCleanFid(string image, string golden)
    {
        // Input pixels: the decode golden where one exists (the JPEG is then independent of the decoder),
        // else the PNG decoded by GenMetrics (pixel-identical to Pillow, docs/imaging.md).
        string stem = Path.GetFileNameWithoutExtension(image);
        string decodeGolden = Fixtures.Path("golden", "decode", $"{stem}.npy");
        byte[] pixels;
        int width, height;
        if (File.Exists(decodeGolden))
        {
            NpyArray decoded = NpyFile.Read(decodeGolden);
            (pixels, width, height) = (decoded.Data, decoded.Shape[1], decoded.Shape[0]);
        }
        else
        {
            RgbImage decoded = ImageDecoder.Decode(File.ReadAllBytes(Fixtures.Path("images", image)), image);
            (pixels, width, height) = (decoded.Pixels, decoded.Width, decoded.Height);
        }
        var actual = new float[299 * 299 * 3];
        PreprocessingProtocol.CleanResize(pixels, width, height, actual);
        float[] expected = NpyFile.Read(Fixtures.Path("golden", "clean", golden)).ToFloat32();
        // tier resize-clean: 1e-4 absolute on the 0..255 scale (issue 3). Pillow's float passes are double
        // accumulations stored as float32, reproduced in the same order, so the result is expected bit-exact.
        Tolerance.AllClose(expected, actual, 1e-4, 0, $"clean resize {image}");
    }

    [Theory]
    [InlineData(299, 299)]
    [InlineData(17, 299)]
    public void SameSizeAxisIsCopiedByEveryKernel(int height, int width)
    {
        var source = new float[height * width];
        for (int i = 0; i < source.Length; i++)
        {
            source[i] = (i * 37 % 251) / 7f;
        }
        var destination = new float[height * width];
        PyTorchBilinearResize.Resize(source, height, width, destination, height, width);
        Assert.Equal(source, destination);
        TensorFlowBilinearResize.Resize(source, height, width, destination, height, width);
        Assert.Equal(source, destination);
        PillowBicubicResize.Resize(source, height, width, destination, height, width);
        Assert.Equal(source, destination);
    }

    [Fact]
    public void TensorFlowBilinearHasNoHalfPixelOffsetAndPyTorchHas()
    {
        // 1-D ramp 0,10,20,30 resized 4 → 8 along x (one row).
        float[] ramp = [0, 10, 20, 30];
        var tf = new float[8];
        var pt = new float[8];
        TensorFlowBilinearResize.Resize(ramp, 1, 4, tf, 1, 8);
        PyTorchBilinearResize.Resize(ramp, 1, 4, pt, 1, 8);
        // TF1: src = i/2 → 0, 5, 10, ..., 30, 30 (clamped at the last pixel).
        Assert.Equal([0f, 5f, 10f, 15f, 20f, 25f, 30f, 30f], tf);
        // PyTorch half-pixel: src = (i + 0.5)/2 − 0.5 clamped at 0 → 0, 0, 2.5, 7.5, ..., 27.5, 30.
        Assert.Equal([0f, 2.5f, 7.5f, 12.5f, 17.5f, 22.5f, 27.5f, 30f], pt);
    }

    [Fact]
    public void PillowBicubicPreservesConstantsAndAntialiasesWhenShrinking()
    {
        var constant = Enumerable.Repeat(42f, 64 * 48).ToArray();
        var small = new float[7 * 5];
        PillowBicubicResize.Resize(constant, 64, 48, small, 7, 5);
        Assert.All(small, v => Assert.Equal(42f, v, 4));

        // An alternating 0/255 column pattern shrunk 8x averages out (support widened by the scale).
        var stripes = new float[8 * 64];
        for (int i = 0; i < stripes.Length; i++)
        {
            stripes[i] = i % 2 == 0 ? 0f : 255f;
        }
        var shrunk = new float[8 * 8];
        PillowBicubicResize.Resize(stripes, 8, 64, shrunk, 8, 8);
        Assert.All(shrunk.Skip(8).Take(48), v => Assert.InRange(v, 120f, 135f));
    }
}
