using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Imaging;
using Xunit.Abstractions;

namespace GenMetrics.Tests.Imaging;

/// <summary>The affine_grid/grid_sample TF1-aligned resize of NVIDIA's TorchScript Inception (clean-fid legacy_tensorflow).</summary>
public sealed class GridSampleTf1ResizeTests(ITestOutputHelper output)
{
    [Fact]
    public void LegacyTensorFlowInputMatchesTheArchiveForward()
    {
        // images/set_a's first file, decoded by GenMetrics (PNG: pixel-identical to Pillow, docs/imaging.md).
        string image = Directory.GetFiles(Fixtures.Path("images", "set_a")).Order(StringComparer.Ordinal).First();
        RgbImage decoded = ImageDecoder.Decode(File.ReadAllBytes(image), image);
        var actual = new float[3 * 299 * 299];
        KnownProtocols.CleanLegacyTensorFlow.Prepare(decoded.Pixels, decoded.Width, decoded.Height, actual);
        NpyArray golden = NpyFile.Read(Fixtures.Path("golden", "clean_ts", "resized_legacy_tensorflow_set_a_000.npy"));
        Assert.Equal([3, 299, 299], golden.Shape);
        float[] expected = golden.ToFloat32();
        double max = 0;
        for (int i = 0; i < expected.Length; i++) max = Math.Max(max, Math.Abs((double)actual[i] - expected[i]));
        output.WriteLine($"legacy_tensorflow network input {Path.GetFileName(image)}: max |diff| {max:E3}");
        // tier resize: 1e-4 absolute on the 0..255 scale, i.e. 1e-4/128 after (x − 128)/128. Every float32 step of
        // torch's affine_grid, grid_sample and linspace kernels is reproduced, so the result is expected bit-exact.
        Tolerance.AllClose(expected, actual, 1e-4 / 128, 0, $"legacy_tensorflow input {Path.GetFileName(image)}");
    }

    [Theory]
    [InlineData(256)]
    [InlineData(64)]
    [InlineData(299)]
    [InlineData(512)]
    [InlineData(1000)]
    public void SourceCoordinatesFollowTf1Alignment(int input)
    {
        float[] coordinates = GridSampleTf1Resize.SourceCoordinates(input, 299);
        for (int j = 0; j < 299; j++)
        {
            // TF1 resize_bilinear(align_corners=False): src = j·in/out, clipped to the last pixel ('border').
            double exact = Math.Min(j * (double)input / 299, input - 1);
            Tolerance.Close(exact, coordinates[j], 1e-6 * input, 0, $"coordinate {j} of {input}");
        }
        Assert.Equal(0f, coordinates[0]);
    }

    [Fact]
    public void ConstantPlaneStaysConstantAndLastRowClampsToTheBorder()
    {
        var constant = Enumerable.Repeat(77f, 40 * 30).ToArray();
        var resized = new float[299 * 299];
        GridSampleTf1Resize.Resize(constant, 30, 40, resized, 299, 299);
        // The four corner weights are rounded separately, so they sum to 1 within float32 rounding only (as in torch).
        Assert.All(resized, v => Assert.Equal(77f, v, 1e-4f));

        // A 1-pixel-high ramp 0,10,20,30 to 8 wide: src = i/2 → 0, 5, ..., 30, 30 (the neighbour past the edge weighs 0).
        float[] ramp = [0, 10, 20, 30];
        var row = new float[8];
        GridSampleTf1Resize.Resize(ramp, 1, 4, row, 1, 8);
        Assert.Equal([0f, 5f, 10f, 15f, 20f, 25f, 30f, 30f], row);
    }
}
