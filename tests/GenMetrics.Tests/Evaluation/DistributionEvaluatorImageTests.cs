using GenMetrics.Evaluation;
using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Metrics;
using GenMetrics.Tests.Features;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Evaluation;

/// <summary>The evaluator on the fixture images: files, in-memory images, reset, and the sample program.</summary>
public sealed class DistributionEvaluatorImageTests
{
    private static string Set(string name) => Fixtures.Path("images", name);

    private static List<RgbImage> Decode(string folder)
    {
        using var source = ImageSource.Open(folder);
        return source.Entries.Select(e => e.Decode()).ToList();
    }

    private static async IAsyncEnumerable<RgbImage> Async(IEnumerable<RgbImage> images)
    {
        foreach (var image in images)
        {
            await Task.Yield();
            yield return image;
        }
    }

    [Fact]
    public async Task InMemoryImagesEqualTheFilesAndResetKeepingRealEqualsAFreshRun()
    {
        using var files = new DistributionEvaluator(KnownProtocols.PytorchFid, InceptionFeatures.WeightsPath, DistributionMetrics.Fid);
        using (var a = ImageSource.Open(Set("set_a"))) files.UpdateReal(a);
        using (var b = ImageSource.Open(Set("set_b"))) files.UpdateFake(b);
        double fromFiles = files.Compute().Fid!.Value;
        // Image → feature parity is tested elsewhere; the golden FID of the pytorch-fid features at the CLI tier.
        Tolerance.Close(GoldenJson.Number(["golden", "fid", "fid.json"], "fid_set_a_vs_set_b", "d2048"), fromFiles, 1e-3, 0, "FID from files");

        using var memory = new DistributionEvaluator(KnownProtocols.PytorchFid, InceptionFeatures.WeightsPath, DistributionMetrics.Fid,
            new DistributionEvaluatorOptions { BatchSize = 5 });
        int enumerated = 0;
        memory.UpdateReal(Decode(Set("set_a")).Select(i => { enumerated++; return i; }));
        Assert.Equal(64, enumerated);
        await memory.UpdateFakeAsync(Async(Decode(Set("set_b"))));
        Assert.Equal(fromFiles, memory.Compute().Fid!.Value);

        files.Reset(keepReal: true);
        Assert.Equal(0, files.FakeCount);
        foreach (var image in Decode(Set("set_b"))) files.UpdateFake(image.Pixels, image.Width, image.Height);
        Assert.Equal(fromFiles, files.Compute().Fid!.Value);
    }

    [Fact]
    public void TheSampleComputesFidIsAndKid()
    {
        var result = GenMetrics.Sample.Sample.Run(InceptionFeatures.WeightsPath, Set("set_a"));
        Assert.Equal(64, result.RealCount);
        Assert.Equal(32, result.FakeCount);
        Assert.True(double.IsFinite(result.Fid!.Value) && result.Fid.Value > 0);
        Assert.True(result.InceptionScore!.Mean > 1);
        Assert.True(double.IsFinite(result.Kid!.Mean));
    }
}
