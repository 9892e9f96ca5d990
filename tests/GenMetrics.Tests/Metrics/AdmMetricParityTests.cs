using GenMetrics.Features;
using GenMetrics.Evaluation;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Statistics;
using Xunit.Abstractions;

namespace GenMetrics.Tests.Metrics;

/// <summary>
/// ADM evaluator rules against <c>golden/adm</c>, computed from the golden features themselves (shared features):
/// μ, FID, sFID, the Inception Score rule, the precision/recall radii and fractions. End-to-end runs from the images
/// are in <c>Cli/AdmCliTests</c>.
/// </summary>
public sealed class AdmMetricParityTests(ITestOutputHelper output)
{
    private static readonly string[] Json = ["golden", "adm", "adm.json"];

    private static (double[] Values, int Rows, int Columns) Matrix(string name)
    {
        var a = NpyFile.Read(Fixtures.Path("golden", "adm", name));
        return (a.ToFloat64(), a.Shape[0], a.Shape[1]);
    }

    private static GaussianStatistics Statistics(string name)
    {
        var (values, rows, columns) = Matrix(name);
        var input = MetricInput.FromFeatures(name, values, rows, columns);
        return input.ToStatistics(new StatsProvenance("adm", "", columns.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("pool3_set_a.npy", "ref_mu_set_a.npy")]
    [InlineData("spatial_set_a.npy", "ref_mu_s_set_a.npy")]
    public void Float32MeanEqualsTheReferenceBatchMu(string features, string mu)
    {
        float[] expected = NpyFile.Read(Fixtures.Path("golden", "adm", mu)).ToFloat32();
        float[] actual = Statistics(features).MeanFloat32!;
        double worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]) / Math.Max(Math.Abs(expected[i]), 1e-30));
        output.WriteLine($"{mu}: max relative difference {worst:E3}");
        // Tier float32-mean: np.mean of float32 rows sums in float32 too; a different summation order moves the last
        // bit only (2^-23 ≈ 1.2e-7 relative per value), so 1e-6 relative.
        Tolerance.AllClose(expected, actual, 0, 1e-6, mu);
    }

    [Fact]
    public void CovarianceChecksumsMatchTheReferenceBatch()
    {
        var sigma = Statistics("pool3_set_a.npy");
        var sigmaS = Statistics("spatial_set_a.npy");
        double Trace(GaussianStatistics s)
        {
            double t = 0;
            for (int i = 0; i < s.Dimension; i++) t += s.Covariance[(long)i * s.Dimension + i];
            return t;
        }
        // Tier statistics-float64 on shared features: np.cov and our float64 sums differ in summation order only, 1e-9 relative.
        Tolerance.Close(GoldenJson.Number(Json, "reference_statistics", "checks", "sigma", "trace"), Trace(sigma), 0, 1e-9, "trace sigma");
        Tolerance.Close(GoldenJson.Number(Json, "reference_statistics", "checks", "sigma", "sum"), sigma.Covariance.Sum(), 0, 1e-9, "sum sigma");
        Tolerance.Close(GoldenJson.Number(Json, "reference_statistics", "checks", "sigma_s", "trace"), Trace(sigmaS), 0, 1e-9, "trace sigma_s");
        Tolerance.Close(GoldenJson.Number(Json, "reference_statistics", "checks", "sigma_s", "sum"), sigmaS.Covariance.Sum(), 0, 1e-9, "sum sigma_s");
    }

    [Fact]
    public void FidAndSpatialFidFromGoldenFeatures()
    {
        var fid = Fid.Compute(Statistics("pool3_set_b.npy"), Statistics("pool3_set_a.npy"), KnownProtocols.Adm);
        var sfid = Fid.Compute(Statistics("spatial_set_b.npy"), Statistics("spatial_set_a.npy"), KnownProtocols.Adm);
        double expectedFid = GoldenJson.Number(Json, "values", "fid");
        double expectedSfid = GoldenJson.Number(Json, "values", "sfid");
        output.WriteLine($"FID {fid.Value:R} vs {expectedFid:R} (diff {fid.Value - expectedFid:E3}); sFID {sfid.Value:R} vs {expectedSfid:R} (diff {sfid.Value - expectedSfid:E3})");
        // Tier n < d noise floor (golden README): 64 rows against 2048 / 2023 dimensions leave ~2000 zero eigenvalues
        // whose rounding noise scipy's sqrtm takes square roots of; 1e-3 absolute, as for every other n < d FID golden.
        Tolerance.Close(expectedFid, fid.Value, 1e-3, 0, "ADM FID");
        Tolerance.Close(expectedSfid, sfid.Value, 1e-3, 0, "ADM sFID");
    }

    [Fact]
    public void InceptionScoreFromGoldenPool3AndTheFcWeights()
    {
        var (pool3, rows, columns) = Matrix("pool3_set_b.npy");
        float[] weight = CheckpointReader.Read(Fixtures.Path("weights", "fid_inception.pth"))["fc.weight"].ToFloat32();
        const int classes = 1008;
        var logits = new double[rows * classes];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < classes; c++)
            {
                double s = 0;
                for (int k = 0; k < columns; k++) s += pool3[r * columns + k] * weight[c * columns + k];
                logits[r * classes + c] = (float)s; // torch's mm output is float32
            }
        }
        var score = AdmInceptionScore.Compute(logits, classes);
        double expected = GoldenJson.Number(Json, "values", "inception_score");
        output.WriteLine($"IS {score.Mean:R} vs {expected:R} (rel {Math.Abs(score.Mean - expected) / expected:E3}), splits {score.SplitScores.Length}");
        Assert.Single(score.SplitScores); // 64 rows < 5000: one split
        // Tier statistics-based on shared features, 1e-6 relative: only float32 rounding of the logits, softmax and
        // numpy's float32 KL sums separates the two.
        Tolerance.Close(expected, score.Mean, 0, 1e-6, "ADM Inception Score");
    }

    [Fact]
    public void InceptionScoreSplitsAre5000ConsecutiveRowsWithoutShuffle()
    {
        // 5001 rows: two splits, the second a single row (score exactly 1), mean of the two scores.
        const int classes = 3;
        var logits = new double[5001 * classes];
        for (int r = 0; r < 5001; r++) logits[r * classes + (r % classes)] = 4;
        var score = AdmInceptionScore.Compute(logits, classes);
        Assert.Equal(2, score.SplitScores.Length);
        Assert.Equal(1.0, score.SplitScores[1], 12);
        Assert.Equal((score.SplitScores[0] + score.SplitScores[1]) / 2, score.Mean, 12);
    }

    [Theory]
    [InlineData("pool3_set_a.npy", "pr_radii_set_a.npy")]
    [InlineData("pool3_set_b.npy", "pr_radii_set_b.npy")]
    public void ManifoldRadiiAreSquaredFloat32Distances(string features, string radii)
    {
        var (values, rows, columns) = Matrix(features);
        double[] expected = NpyFile.Read(Fixtures.Path("golden", "adm", radii)).ToFloat64();
        double[] actual = KNearestManifolds.ManifoldRadii(values, rows, columns, 3, NeighbourhoodConvention.Adm);
        var (max, rel) = GenMetrics.Tests.Features.InceptionFeatures.Distance(actual, expected);
        output.WriteLine($"{radii}: max |diff| {max:E3}, rel Frobenius {rel:E3}");
        double maxNorm2 = 0;
        for (int r = 0; r < rows; r++)
        {
            double n2 = 0;
            for (int c = 0; c < columns; c++) n2 += values[r * columns + c] * values[r * columns + c];
            maxNorm2 = Math.Max(maxNorm2, n2);
        }
        // Tier float32-norm-expansion: ADM forms |u|² − 2u·v + |v|² in float32 (numpy/BLAS sgemm over d = 2048 terms), we
        // in float64 and round once. Its rounding error is absolute, of order √d · 2^-24 per term of size up to
        // 2·max|u|², so the radii (35..60 here, from squared norms up to 3680) agree to √d·2^-24·4·max|u|² absolute
        // (1.7e-2 / 4.0e-2 here; measured 1.3e-3 / 2.7e-3), not relative. The fractions below, which the radii are
        // for, are exact.
        double atol = Math.Sqrt(columns) * Math.Pow(2, -24) * 4 * maxNorm2;
        output.WriteLine($"{radii}: float32 bound {atol:E3} (max |u|² {maxNorm2:F1})");
        Tolerance.AllClose(expected, actual, atol, 0, radii);
    }

    [Fact]
    public void PrecisionAndRecallFromGoldenFeatures()
    {
        var (reference, _, columns) = Matrix("pool3_set_a.npy");
        var (sample, _, _) = Matrix("pool3_set_b.npy");
        var pr = PrecisionRecall.ComputeAdm(reference, sample, columns);
        // Exact: the fractions are counts over 64.
        Assert.Equal(GoldenJson.Number(Json, "values", "precision"), pr.Precision);
        Assert.Equal(GoldenJson.Number(Json, "values", "recall"), pr.Recall);
    }
}
