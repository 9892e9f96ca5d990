using GenMetrics.Checkpoints;
using GenMetrics.Evaluation;
using GenMetrics.Features;

namespace GenMetrics.Tests.Evaluation;

/// <summary>
/// Float32 feature files (pytorch-fid's and torch-fidelity's dtype) stay float32 in memory: the metrics read them in
/// place, with the results of their float64 widening.
/// </summary>
public sealed class Float32FeatureInputTests
{
    private const int N = 3000, D = 2048;

    private static float[] Uniform(int seed, float shift)
    {
        var rng = new Random(seed);
        var x = new float[N * D];
        for (int i = 0; i < x.Length; i++) x[i] = (float)rng.NextDouble() + shift;
        return x;
    }

    [Fact]
    public void Float32NpyInputsAreReadWithoutAFloat64Copy()
    {
        using var dir = new TempDirectory();
        var real = Uniform(11, 0);
        var fake = Uniform(12, 0.01f);
        NpyFile.Write(dir.Path("real.npy"), NpyArray.FromFloat32(real, N, D));
        NpyFile.Write(dir.Path("fake.npy"), NpyArray.FromFloat32(fake, N, D));
        long fileBytes = (long)N * D * sizeof(float);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var realInput = MetricInput.Load(dir.Path("real.npy"));
        long loading = GC.GetAllocatedBytesForCurrentThread() - before;
        // The float32 rows, read straight from the file (24.6 MB); the file's bytes and a float64 copy would be 74 MB.
        Assert.True(loading < 1.5 * fileBytes, $"loading allocated {loading / 1e6:F1} MB for a {fileBytes / 1e6:F1} MB float32 matrix");
        var fakeInput = MetricInput.Load(dir.Path("fake.npy"));

        // One thread, so that every allocation of the metric is on this thread (other tests run beside this one).
        var options = new EvaluationOptions { Protocol = KnownProtocols.TorchFidelity, MaxThreads = 1 };
        DistributionEvaluation.Evaluate(realInput, fakeInput, DistributionMetrics.Prdc, options);
        before = GC.GetAllocatedBytesForCurrentThread();
        var fromFloat32 = DistributionEvaluation.Evaluate(realInput, fakeInput, DistributionMetrics.Prdc, options);
        long computing = GC.GetAllocatedBytesForCurrentThread() - before;
        long copies = 2L * N * D * sizeof(double);
        Assert.True(computing < copies / 10, $"PR/DC allocated {computing / 1e6:F1} MB; a float64 copy of both sets is {copies / 1e6:F1} MB");

        // The same metrics from the float64 widening, bit for bit (KID on 10 subsets to keep the test short).
        var withKid = options with { Subsets = 10, MaxThreads = -1 };
        var fromFloat64 = DistributionEvaluation.Evaluate(
            MetricInput.FromFeatures("real", Array.ConvertAll(real, v => (double)v), N, D),
            MetricInput.FromFeatures("fake", Array.ConvertAll(fake, v => (double)v), N, D),
            DistributionMetrics.Prdc | DistributionMetrics.Kid | DistributionMetrics.Fid, withKid);
        var all = DistributionEvaluation.Evaluate(realInput, fakeInput,
            DistributionMetrics.Prdc | DistributionMetrics.Kid | DistributionMetrics.Fid, withKid);
        Assert.Equal(fromFloat64.PrecisionRecall, fromFloat32.PrecisionRecall);
        Assert.Equal(fromFloat64.DensityCoverage, fromFloat32.DensityCoverage);
        Assert.Equal(fromFloat64.PrecisionRecall, all.PrecisionRecall);
        Assert.Equal(fromFloat64.Kid!.SubsetValues, all.Kid!.SubsetValues);
        Assert.Equal(BitConverter.DoubleToInt64Bits(fromFloat64.Fid!.Value), BitConverter.DoubleToInt64Bits(all.Fid!.Value));
        // And the public float64 view is the exact widening, made on first use.
        Assert.Equal(Array.ConvertAll(real, v => (double)v), realInput.Features);
    }
}
