using System.Text.Json;
using GenMetrics.Evaluation;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Statistics;
using GenMetrics.Tests.Imaging;
using GenMetrics.Tests.Metrics;
using Xunit.Abstractions;

namespace GenMetrics.Tests.Cli;

/// <summary>ADM batches built from the fixture images (once per class) and a feature cache shared by the tests.</summary>
public sealed class AdmCliFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public AdmCliFixture()
    {
        Reference = AdmBatches.Write(_temp.Path("ref_set_a.npz"), "set_a");
        Sample = AdmBatches.Write(_temp.Path("sample_set_b.npz"), "set_b");
        // The golden's reference batch with statistics: np.savez(arr_0, mu, sigma, mu_s, sigma_s) from the port's
        // compute_statistics() of its own set_a activations (golden pool3/spatial): float32 μ, float64 np.cov.
        var pool3 = Statistics("pool3_set_a.npy");
        var spatial = Statistics("spatial_set_a.npy");
        ReferenceWithStatistics = AdmBatches.Write(_temp.Path("ref_set_a_with_stats.npz"), "set_a",
            new("mu", NpyArray.FromFloat32(pool3.MeanFloat32!, pool3.Dimension)),
            new("sigma", NpyArray.FromFloat64(pool3.Covariance, pool3.Dimension, pool3.Dimension)),
            new("mu_s", NpyArray.FromFloat32(spatial.MeanFloat32!, spatial.Dimension)),
            new("sigma_s", NpyArray.FromFloat64(spatial.Covariance, spatial.Dimension, spatial.Dimension)));
        Cache = _temp.Path("cache");
    }

    public string Reference { get; }

    public string Sample { get; }

    public string ReferenceWithStatistics { get; }

    public string Cache { get; }

    public string Temp(string name) => _temp.Path(name);

    internal static GaussianStatistics Statistics(string golden)
    {
        var a = NpyFile.Read(Fixtures.Path("golden", "adm", golden));
        return MetricInput.FromFeatures(golden, a.ToFloat64(), a.Shape[0], a.Shape[1]).ToStatistics(StatsProvenance.Unknown);
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>
/// <c>genmetrics eval|fid|stats</c> on ADM sample and reference batches against <c>golden/adm</c> (the evaluator's
/// <c>main()</c> output), end to end from the images. Tier end-to-end: our float32 features differ from PyTorch's by
/// ≤ 1e-4 relative (AdmFeatureParityTests), which moves FID, sFID and IS by far less than 1e-4 relative; FID and sFID
/// also carry the n &lt; d noise floor (≤ 1e-3 absolute, below 1e-4 relative of 66 and 1148). Precision and recall are
/// counts over 64 images: exact.
/// </summary>
public sealed class AdmCliTests(AdmCliFixture batches, ITestOutputHelper output) : IClassFixture<AdmCliFixture>
{
    private const double EndToEndRtol = 1e-4;
    private static readonly string[] Json = ["golden", "adm", "adm.json"];
    private static string Weights => Fixtures.Path("weights", "fid_inception.pth");

    private static double Golden(string key) => GoldenJson.Number(Json, "values", key);

    private CliRunner.Result Run(params string[] args) =>
        CliRunner.Run([.. args, "--weights", Weights, "--cache-dir", batches.Cache, "--json", "--quiet"]);

    private static JsonElement Parse(CliRunner.Result r)
    {
        Assert.True(r.ExitCode == 0, r.Error);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    private void AssertAdmSuite(JsonElement j, string what)
    {
        output.WriteLine($"{what}: FID {j.GetProperty("fid").GetDouble():R} (golden {Golden("fid"):R}), sFID {j.GetProperty("sfid").GetDouble():R} (golden {Golden("sfid"):R}), " +
            $"IS {j.GetProperty("is_mean").GetDouble():R} (golden {Golden("inception_score"):R}), P {j.GetProperty("precision").GetDouble()}, R {j.GetProperty("recall").GetDouble()}");
        Assert.Equal("adm", j.GetProperty("protocol").GetString());
        Assert.Equal(64, j.GetProperty("n_real").GetInt32());
        Assert.Equal(64, j.GetProperty("n_fake").GetInt32());
        // tier end-to-end (class remarks)
        Tolerance.Close(Golden("fid"), j.GetProperty("fid").GetDouble(), 0, EndToEndRtol, $"{what} FID");
        Tolerance.Close(Golden("sfid"), j.GetProperty("sfid").GetDouble(), 0, EndToEndRtol, $"{what} sFID");
        Tolerance.Close(Golden("inception_score"), j.GetProperty("is_mean").GetDouble(), 0, EndToEndRtol, $"{what} IS");
        // exact: counts over 64
        Assert.Equal(Golden("precision"), j.GetProperty("precision").GetDouble());
        Assert.Equal(Golden("recall"), j.GetProperty("recall").GetDouble());
    }

    [Fact]
    public void EvalOfPlainBatchesIsTheAdmSuite()
    {
        // No --protocol: ADM batches select the adm protocol, and eval defaults to ADM's suite (FID, sFID, IS, P/R).
        AssertAdmSuite(Parse(Run("eval", batches.Reference, batches.Sample)), "plain reference batch");
    }

    [Fact]
    public void EvalWithAReferenceBatchThatCarriesStatisticsUsesThem()
    {
        var j = Parse(Run("eval", batches.ReferenceWithStatistics, batches.Sample, "--protocol", "adm"));
        AssertAdmSuite(j, "reference batch with mu/sigma/mu_s/sigma_s");
    }

    [Fact]
    public void FidVerbReportsFidAndSpatialFid()
    {
        var j = Parse(Run("fid", batches.ReferenceWithStatistics, batches.Sample));
        Assert.Equal("adm", j.GetProperty("protocol").GetString());
        // tier end-to-end (class remarks)
        Tolerance.Close(Golden("fid"), j.GetProperty("fid").GetDouble(), 0, EndToEndRtol, "fid verb FID");
        Tolerance.Close(Golden("sfid"), j.GetProperty("sfid").GetDouble(), 0, EndToEndRtol, "fid verb sFID");
        Assert.False(j.TryGetProperty("precision", out _));
    }

    [Fact]
    public void WrittenReferenceStatisticsAreAdmReadableAndGiveTheSameNumbers()
    {
        string stats = batches.Temp("ref_stats_written.npz");
        var written = Parse(Run("stats", batches.Reference, "--out", stats));
        Assert.Equal("adm", written.GetProperty("protocol").GetString());
        Assert.True(written.GetProperty("arr_0").GetBoolean());
        var arrays = NpzFile.Read(stats);
        // arr_0 is the batch's own images, so the file is a complete reference batch for ADM's main().
        Assert.Equal([64, 256, 256, 3], arrays["arr_0"].Shape);
        Assert.Equal(GoldenJson.Element(Json, "sets", "set_a", "batch", "arr_0_sha256").GetString(), AdmBatches.Sha256(arrays["arr_0"].Data));
        // What ADM's Evaluator.read_statistics reads: float32 mu/mu_s, float64 sigma/sigma_s of 2048 and 2023.
        Assert.Equal(("f4", 2048), (arrays["mu"].Dtype, arrays["mu"].ElementCount));
        Assert.Equal(("f8", 2048 * 2048), (arrays["sigma"].Dtype, arrays["sigma"].ElementCount));
        Assert.Equal(("f4", 2023), (arrays["mu_s"].Dtype, arrays["mu_s"].ElementCount));
        Assert.Equal(("f8", 2023 * 2023), (arrays["sigma_s"].Dtype, arrays["sigma_s"].ElementCount));
        double[] mu = arrays["mu"].ToFloat64();
        double[] goldenMu = NpyFile.Read(Fixtures.Path("golden", "adm", "ref_mu_set_a.npy")).ToFloat64();
        // tier network-float32 (means of features within 2e-4 + 1e-4 relative)
        Tolerance.AllClose(goldenMu, mu, 2e-4, 1e-4, "written mu vs golden ref mu");

        var fromStats = Parse(Run("fid", stats, batches.Sample));
        var fromBatch = Parse(Run("fid", batches.Reference, batches.Sample));
        Assert.Equal("adm", fromStats.GetProperty("protocol").GetString());
        // Same features, same float32 μ and float64 Σ on both paths: 1e-12 relative (statistics round trip).
        Tolerance.Close(fromBatch.GetProperty("fid").GetDouble(), fromStats.GetProperty("fid").GetDouble(), 0, 1e-12, "FID from written stats");
        Tolerance.Close(fromBatch.GetProperty("sfid").GetDouble(), fromStats.GetProperty("sfid").GetDouble(), 0, 1e-12, "sFID from written stats");
        // tier end-to-end (class remarks)
        Tolerance.Close(Golden("sfid"), fromStats.GetProperty("sfid").GetDouble(), 0, EndToEndRtol, "sFID from written stats vs golden");
    }

    [Fact]
    public void StatsOfAnImageFolderStackTheImagesAsArr0()
    {
        string stats = batches.Temp("ref_stats_from_folder.npz");
        var written = Parse(Run("stats", Fixtures.Path("images", "set_a"), "--protocol", "adm", "--out", stats));
        Assert.True(written.GetProperty("arr_0").GetBoolean());
        var arrays = NpzFile.Read(stats);
        // Stacked in sorted file order as the golden built its batch.
        Assert.Equal(GoldenJson.Element(Json, "sets", "set_a", "batch", "arr_0_sha256").GetString(), AdmBatches.Sha256(arrays["arr_0"].Data));
        double[] goldenMuS = NpyFile.Read(Fixtures.Path("golden", "adm", "ref_mu_s_set_a.npy")).ToFloat64();
        // tier network-float32 (means of features within 2e-4 + 1e-4 relative)
        Tolerance.AllClose(goldenMuS, arrays["mu_s"].ToFloat64(), 2e-4, 1e-4, "mu_s from the folder vs golden");
    }

    [Fact]
    public void StatsOfImagesOfSeveralSizesHaveNoArr0()
    {
        string stats = batches.Temp("odd_stats.npz");
        var written = Parse(Run("stats", Fixtures.Path("images", "odd"), "--protocol", "adm", "--out", stats));
        Assert.False(written.GetProperty("arr_0").GetBoolean());
        var keys = NpzFile.ReadKeys(stats);
        Assert.DoesNotContain("arr_0", keys);
        Assert.Contains("sigma_s", keys);
    }

    [Fact]
    public void AdmStatisticsAreNotMislabelledPytorchFid()
    {
        string stats = batches.Temp("adm_only_stats.npz");
        var pool3 = AdmCliFixture.Statistics("pool3_set_a.npy");
        var spatial = AdmCliFixture.Statistics("spatial_set_a.npy");
        NpzFile.Write(stats, [
            new("mu", NpyArray.FromFloat32(pool3.MeanFloat32!, 2048)), new("sigma", NpyArray.FromFloat64(pool3.Covariance, 2048, 2048)),
            new("mu_s", NpyArray.FromFloat32(spatial.MeanFloat32!, 2023)), new("sigma_s", NpyArray.FromFloat64(spatial.Covariance, 2023, 2023))]);
        Assert.Equal("adm", StatsFile.Read(stats).Provenance.Protocol);
        var j = Parse(Run("fid", stats, batches.Sample));
        Assert.Equal("adm", j.GetProperty("protocol").GetString());
        // tier end-to-end (class remarks)
        Tolerance.Close(Golden("sfid"), j.GetProperty("sfid").GetDouble(), 0, EndToEndRtol, "sFID from ADM-only statistics");
        var wrongProtocol = CliRunner.Run("fid", stats, stats, "--protocol", "pytorch-fid", "--json", "--quiet");
        CliAssert.OneLineError(wrongProtocol, "set EvaluationOptions.Protocol to adm");
        CliAssert.OneLineError(wrongProtocol, "(option --protocol)");
    }

    [Fact]
    public void IsVerbOnASampleBatchUsesAdmsRule()
    {
        var j = Parse(Run("is", batches.Sample));
        Assert.Equal("adm", j.GetProperty("protocol").GetString());
        // tier end-to-end (class remarks)
        Tolerance.Close(Golden("inception_score"), j.GetProperty("is_mean").GetDouble(), 0, EndToEndRtol, "is verb");
        Assert.False(j.TryGetProperty("warnings", out _));

        // torch-fidelity's split options do not change ADM's rule, and the run says so.
        var split = Parse(Run("is", batches.Sample, "--splits", "4"));
        Assert.Equal(j.GetProperty("is_mean").GetDouble(), split.GetProperty("is_mean").GetDouble());
        Assert.Contains("--splits and --no-shuffle do not apply", split.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void FeaturesVerbWritesTheSpatialLayerOfABatch()
    {
        string output = batches.Temp("spatial_b.npy");
        var r = CliRunner.Run("features", batches.Sample, "--out", output, "--layer", "spatial", "--weights", Weights, "--json", "--quiet");
        var j = Parse(r);
        Assert.Equal("adm", j.GetProperty("protocol").GetString());
        Assert.Equal(2023, j.GetProperty("dimensions").GetInt32());
        double[] expected = NpyFile.Read(Fixtures.Path("golden", "adm", "spatial_set_b.npy")).ToFloat64();
        // tier network-float32 (AdmFeatureParityTests)
        Tolerance.AllClose(expected, NpyFile.Read(output).ToFloat64(), 2e-4, 1e-4, "features --layer spatial");
    }

    [Fact]
    public void MalformedBatchesGiveOneLineErrors()
    {
        string floats = batches.Temp("float_arr0.npz");
        NpzFile.Write(floats, [new("arr_0", NpyArray.FromFloat32(new float[2 * 4 * 4 * 3], 2, 4, 4, 3))]);
        CliAssert.OneLineError(Run("fid", floats, batches.Sample), "uint8 images N x H x W x 3");

        string nchw = batches.Temp("nchw_arr0.npz");
        NpzFile.Write(nchw, [new("arr_0", NpyArray.FromUInt8(new byte[2 * 3 * 4 * 5], 2, 3, 4, 5))]);
        CliAssert.OneLineError(Run("fid", nchw, batches.Sample), "transpose it to N x H x W x 3");

        // A header that declares 9 images over the data of 1: refused from the header and the member size.
        string truncated = batches.Temp("truncated_arr0.npz");
        var npy = new MemoryStream();
        NpyFile.Write(npy, NpyArray.FromUInt8(new byte[8 * 8 * 3], 1, 8, 8, 3));
        byte[] bytes = npy.ToArray();
        string header = System.Text.Encoding.Latin1.GetString(bytes);
        int at = header.IndexOf("(1, 8, 8, 3)", StringComparison.Ordinal);
        Assert.True(at > 0, header[..Math.Min(120, header.Length)]);
        bytes[at + 1] = (byte)'9';
        using (var zip = new System.IO.Compression.ZipArchive(File.Create(truncated), System.IO.Compression.ZipArchiveMode.Create))
        {
            using var entry = zip.CreateEntry("arr_0.npy").Open();
            entry.Write(bytes);
        }
        CliAssert.OneLineError(Run("fid", truncated, batches.Sample), "truncated");

        string halfStats = batches.Temp("half_stats.npz");
        NpzFile.Write(halfStats, [
            new("mu", NpyArray.FromFloat32(new float[3], 3)), new("sigma", NpyArray.FromFloat64(new double[9], 3, 3)),
            new("mu_s", NpyArray.FromFloat32(new float[3], 3))]);
        CliAssert.OneLineError(Run("fid", halfStats, batches.Sample), "has no sigma_s");
    }

    [Fact]
    public void SpatialFidOutsideTheAdmProtocolIsRefused()
    {
        var r = CliRunner.Run("eval", Fixtures.Path("golden", "adm", "pool3_set_a.npy"), Fixtures.Path("golden", "adm", "pool3_set_b.npy"),
            "--metrics", "sfid", "--json", "--quiet");
        CliAssert.OneLineError(r, "use the adm protocol");
        CliAssert.OneLineError(r, "(option --protocol)");
    }
}
