using GenMetrics.Checkpoints;
using GenMetrics.Evaluation;
using GenMetrics.Features;
using GenMetrics.Metrics;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Evaluation;

/// <summary>The stateful evaluator under the adm protocol applies ADM's FID, IS and precision/recall rules (golden/adm features).</summary>
public sealed class DistributionEvaluatorAdmTests
{
    private static readonly string[] Json = ["golden", "adm", "adm.json"];

    private static (float[] Values, int Rows, int Columns) Matrix(string name)
    {
        var a = NpyFile.Read(Fixtures.Path("golden", "adm", name));
        return (a.ToFloat32(), a.Shape[0], a.Shape[1]);
    }

    [Fact]
    public void GoldenFeaturesGiveTheAdmNumbers()
    {
        var (reference, _, _) = Matrix("pool3_set_a.npy");
        var (sample, rows, columns) = Matrix("pool3_set_b.npy");
        float[] weight = CheckpointReader.Read(Fixtures.Path("weights", "fid_inception.pth"))["fc.weight"].ToFloat32();
        var logits = new float[rows * 1008];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < 1008; c++)
            {
                double s = 0;
                for (int k = 0; k < columns; k++) s += (double)sample[r * columns + k] * weight[c * columns + k];
                logits[r * 1008 + c] = (float)s;
            }
        }
        using var evaluator = new DistributionEvaluator(KnownProtocols.Adm, null,
            DistributionMetrics.Fid | DistributionMetrics.InceptionScore | DistributionMetrics.PrecisionRecall);
        evaluator.UpdateRealFeatures(reference);
        evaluator.UpdateFakeFeatures(sample);
        evaluator.UpdateFakeLogits(logits);
        var result = evaluator.Compute();
        Assert.Same(KnownProtocols.Adm, result.Protocol);
        // Tier n < d noise floor, 1e-3 absolute (as AdmMetricParityTests).
        Tolerance.Close(GoldenJson.Number(Json, "values", "fid"), result.Fid!.Value, 1e-3, 0, "stateful ADM FID");
        // Tier statistics-based on shared features, 1e-6 relative (as AdmMetricParityTests).
        Tolerance.Close(GoldenJson.Number(Json, "values", "inception_score"), result.InceptionScore!.Mean, 0, 1e-6, "stateful ADM IS");
        // exact: counts over 64
        Assert.Equal(GoldenJson.Number(Json, "values", "precision"), result.PrecisionRecall!.Precision);
        Assert.Equal(GoldenJson.Number(Json, "values", "recall"), result.PrecisionRecall.Recall);
    }

    [Fact]
    public void SpatialFidIsRefusedByTheStatefulEvaluator()
    {
        var e = Assert.Throws<ArgumentException>(() => new DistributionEvaluator(KnownProtocols.Adm, null, DistributionMetrics.SpatialFid));
        Assert.Contains("DistributionEvaluation.Evaluate", e.Message, StringComparison.Ordinal);
    }
}
