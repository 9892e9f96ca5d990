using GenMetrics.Evaluation;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

/// <summary>
/// The per-fake nearest real samples and manifold ratio recorded in the precision/recall distance pass: equal to a
/// brute-force computation written here, consistent with the golden precision, and independent of the thread count.
/// </summary>
public sealed class FakeManifoldNeighboursTests
{
    private static readonly string[] PrdcJson = ["golden", "prdc", "prdc.json"];

    public static TheoryData<string> Cases => new() { "a_pytorch_fid_pool3", "a_torch_fidelity_pool3", "b_synthetic_gaussian" };

    private static (double[] Real, int NReal, double[] Fake, int NFake, int D) Load(string name)
    {
        var real = NpyFile.Read(Fixtures.Path(GoldenJson.Element(PrdcJson, "cases", name, "real").GetString()!.Split('/')));
        var fake = NpyFile.Read(Fixtures.Path(GoldenJson.Element(PrdcJson, "cases", name, "fake").GetString()!.Split('/')));
        return (real.ToFloat64(), real.Shape[0], fake.ToFloat64(), fake.Shape[0], real.Shape[1]);
    }

    private static double Direct(double[] x, int i, double[] y, int j, int d)
    {
        double s = 0;
        for (int c = 0; c < d; c++)
        {
            double t = x[(long)i * d + c] - y[(long)j * d + c];
            s += t * t;
        }
        return Math.Sqrt(s);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchBruteForceAndGoldenPrecision(string name)
    {
        var (real, nReal, fake, nFake, d) = Load(name);
        foreach (var (k, convention, golden) in new[] { (3, NeighbourhoodConvention.TorchFidelity, "torch_fidelity_k3"), (5, NeighbourhoodConvention.Prdc, "prdc_k5") })
        {
            KNearestManifolds.Evaluate(real, nReal, fake, nFake, d, [new KNearestManifolds.Request(k, convention)], 4, out var n);
            Assert.NotNull(n);
            Assert.Equal(k, n!.K);
            Assert.Equal(4, n.PerFake);
            Assert.Equal(nFake, n.FakeCount);

            // Membership is the one precision counts: exact, the golden fraction.
            int inside = Enumerable.Range(0, nFake).Count(n.InsideRealManifold);
            Assert.Equal(GoldenJson.Number(PrdcJson, "cases", name, golden, "precision"), convention == NeighbourhoodConvention.TorchFidelity
                ? (float)inside / (float)nFake : (double)inside / nFake);

            var realRadius = new double[nReal];
            for (int i = 0; i < nReal; i++)
            {
                var sorted = Enumerable.Range(0, nReal).Select(j => Direct(real, i, real, j, d)).Order().ToArray();
                realRadius[i] = sorted[k];
            }
            for (int f = 0; f < nFake; f++)
            {
                var byDistance = Enumerable.Range(0, nReal).Select(i => (Index: i, Distance: Direct(fake, f, real, i, d)))
                    .OrderBy(p => p.Distance).ThenBy(p => p.Index).ToArray();
                // Tier "float64 math": 1e-9 relative (measured ≤ 3.4e-14); the pass uses sklearn's expanded formula ‖x‖² + ‖y‖² − 2x·y, this the direct sum.
                for (int p = 0; p < n.PerFake; p++) Tolerance.Close(byDistance[p].Distance, n.NearestRealDistance(f)[p], 0, 1e-9, $"{name} k{k} fake {f} neighbour {p}");
                // Indices equal unless two real samples are at the same distance within that rounding.
                for (int p = 0; p < n.PerFake; p++)
                {
                    int got = n.NearestReal(f)[p];
                    Assert.True(got == byDistance[p].Index || Math.Abs(Direct(fake, f, real, got, d) - byDistance[p].Distance) <= 1e-9 * byDistance[p].Distance,
                        $"{name} k{k} fake {f} neighbour {p}: real {got}, brute force {byDistance[p].Index}");
                }
                double ratio = Enumerable.Range(0, nReal).Min(i => Direct(fake, f, real, i, d) / realRadius[i]);
                // torch-fidelity's radii are float32 (2^-24 relative each): 1e-6 relative (measured ≤ 5.7e-8);
                // prdc's are float64: tier "float64 math", 1e-9 relative (measured ≤ 1.6e-14).
                Tolerance.Close(ratio, n.ManifoldRatio(f), 0, convention == NeighbourhoodConvention.TorchFidelity ? 1e-6 : 1e-9, $"{name} k{k} fake {f} ratio");
                // Membership and ratio agree up to the float32 rounding of torch-fidelity's distances (2^-24 relative).
                Assert.True(n.InsideRealManifold(f) ? n.ManifoldRatio(f) <= 1 + 1e-7 : n.ManifoldRatio(f) >= 1 - 1e-7,
                    $"{name} k{k} fake {f}: ratio {n.ManifoldRatio(f):R} vs inside {n.InsideRealManifold(f)}");
            }
        }
    }

    [Fact]
    public void SameForOneAndTwoThreadsAndOffWhenNotAsked()
    {
        var (real, nReal, fake, nFake, d) = Load("a_torch_fidelity_pool3");
        KNearestManifolds.Request[] requests = [new(3, NeighbourhoodConvention.TorchFidelity), new(5, NeighbourhoodConvention.Prdc)];
        var counts1 = KNearestManifolds.Evaluate(real, nReal, fake, nFake, d, requests, 3, out var one, maxThreads: 1);
        var counts2 = KNearestManifolds.Evaluate(real, nReal, fake, nFake, d, requests, 3, out var two, maxThreads: 2);
        Assert.Equal(counts1, counts2);
        for (int f = 0; f < nFake; f++)
        {
            Assert.Equal(one!.NearestReal(f).ToArray(), two!.NearestReal(f).ToArray());
            Assert.Equal(one.NearestRealDistance(f).ToArray(), two.NearestRealDistance(f).ToArray());
            Assert.Equal(one.ManifoldRatio(f), two.ManifoldRatio(f));
        }
        // Recording the neighbours changes no count, and none are recorded unless asked.
        Assert.Equal(KNearestManifolds.Evaluate(real, nReal, fake, nFake, d, requests), counts1);
        KNearestManifolds.Evaluate(real, nReal, fake, nFake, d, requests, 0, out var none);
        Assert.Null(none);
    }

    [Fact]
    public void EvaluationRecordsThemOnlyWhenAskedAndWithPrecision()
    {
        var (real, nReal, fake, nFake, d) = Load("a_torch_fidelity_pool3");
        var r = MetricInput.FromFeatures("real", real, nReal, d);
        var f = MetricInput.FromFeatures("fake", fake, nFake, d);
        var asked = new EvaluationOptions { NearestRealNeighbours = 2 };
        var withPr = DistributionEvaluation.Evaluate(r, f, DistributionMetrics.Prdc, asked);
        Assert.Equal(2, withPr.FakeNeighbours!.PerFake);
        Assert.Equal(MetricDefaults.PrecisionRecallK, withPr.FakeNeighbours.K);
        Assert.Equal(withPr.PrecisionRecall!.Precision, (float)Enumerable.Range(0, nFake).Count(withPr.FakeNeighbours.InsideRealManifold) / (float)nFake);
        var dcOnly = DistributionEvaluation.Evaluate(r, f, DistributionMetrics.DensityCoverage, asked);
        Assert.Equal(MetricDefaults.DensityCoverageK, dcOnly.FakeNeighbours!.K);
        Assert.Equal(NeighbourhoodConvention.Prdc, dcOnly.FakeNeighbours.Convention);
        Assert.Null(DistributionEvaluation.Evaluate(r, f, DistributionMetrics.Fid, asked).FakeNeighbours);
        Assert.Null(DistributionEvaluation.Evaluate(r, f, DistributionMetrics.Prdc, new EvaluationOptions()).FakeNeighbours);
    }
}
