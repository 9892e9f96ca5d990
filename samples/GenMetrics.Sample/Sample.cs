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
        evaluator.UpdateFake(Generate(realFolder, count)); // any IEnumerable<RgbImage>: enumerated once, lazily
        return evaluator.Compute();
    }

    // Stands in for a generator: mirrored copies of real images, as interleaved RGB bytes.
    // (Pure noise is a poor stand-in: its logits are so extreme that IS is NaN, in torch-fidelity too.)
    public static IEnumerable<RgbImage> Generate(string folder, int count)
    {
        using var source = ImageSource.Open(folder);
        foreach (var entry in source.Entries.Take(count))
        {
            RgbImage image = entry.Decode();
            var pixels = new byte[image.Pixels.Length];
            for (int y = 0; y < image.Height; y++)
            {
                for (int x = 0; x < image.Width; x++)
                {
                    image.Pixels.AsSpan(((y * image.Width) + image.Width - 1 - x) * 3, 3).CopyTo(pixels.AsSpan(((y * image.Width) + x) * 3));
                }
            }
            yield return new RgbImage(image.Width, image.Height, pixels);
        }
    }
}
