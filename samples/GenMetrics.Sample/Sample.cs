using GenMetrics.Evaluation;
using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Sample;

/// <summary>FID, IS and KID of in-memory generated images against a folder of real images.</summary>
public static class Sample
{
    public static EvaluationResult Run(string weightsPath, string realFolder, int count = 32)
    {
        using var evaluator = new DistributionEvaluator(KnownProtocols.PytorchFid, weightsPath,
            DistributionMetrics.Fid | DistributionMetrics.InceptionScore | DistributionMetrics.Kid,
            new DistributionEvaluatorOptions { SubsetSize = count / 2 });
        using (var real = ImageSource.Open(realFolder)) evaluator.UpdateReal(real);
        evaluator.UpdateFake(Generate(count)); // any IEnumerable<RgbImage>: enumerated once, lazily
        return evaluator.Compute();
    }

    // Stands in for a generator: 64x64 interleaved RGB bytes.
    public static IEnumerable<RgbImage> Generate(int count)
    {
        var random = new Random(0);
        for (int i = 0; i < count; i++)
        {
            var pixels = new byte[64 * 64 * 3];
            random.NextBytes(pixels);
            yield return new RgbImage(64, 64, pixels);
        }
    }
}
