using System.Text.Json;
using static GenMetrics.Tests.Features.InceptionFeatures;

namespace GenMetrics.Tests.Cli;

/// <summary>
/// Sharded runs merged give the single-run numbers: <c>features --shard I/N</c> + <c>merge-features</c> for
/// KID, PR/DC and IS (identical), <c>stats --shard I/N</c> + <c>merge-stats</c> for FID (1e-12 relative). Thirteen
/// images per set so that 3 and 4 shards are uneven (4,4,5 and 3,3,3,4) while the suite stays fast.
/// </summary>
public sealed class ShardParityTests : IClassFixture<ShardParityTests.SingleRun>
{
    private const int Images = 13;

    private readonly SingleRun _single;

    public ShardParityTests(SingleRun single) => _single = single;

    /// <summary>The single-process outputs every sharded run is compared with, computed once.</summary>
    public sealed class SingleRun : IDisposable
    {
        public SingleRun()
        {
            Real = Subset("set_a", "real");
            Fake = Subset("set_b", "fake");
            RealFeatures = Features(Real, "pool3", Temp.Path("real.npy"));
            FakeFeatures = Features(Fake, "pool3", Temp.Path("fake.npy"));
            FakeLogits = Features(Fake, "logits-unbiased", Temp.Path("fake-logits.npy"));
            RealStats = Temp.Path("real.npz");
            Ok(CliRunner.Run("stats", Real, "--out", RealStats, "--weights", WeightsPath, "--no-cache", "--quiet"));
            FakeStats = Temp.Path("fake.npz");
            Ok(CliRunner.Run("stats", FakeFeatures, "--out", FakeStats, "--quiet"));
        }

        internal TempDirectory Temp { get; } = new();

        public string Real { get; }

        public string Fake { get; }

        public string RealFeatures { get; }

        public string FakeFeatures { get; }

        public string FakeLogits { get; }

        public string RealStats { get; }

        public string FakeStats { get; }

        private string Subset(string set, string name)
        {
            // Links to the first images of a fixture set: the fixtures are read in place, never copied.
            string folder = Temp.Path(name);
            Directory.CreateDirectory(folder);
            foreach (string file in Directory.GetFiles(Fixtures.Path("images", set), "*.png").Order(StringComparer.Ordinal).Take(Images))
            {
                File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(file)), file);
            }
            return folder;
        }

        public void Dispose() => Temp.Dispose();
    }

    private static string Features(string images, string layer, string output, string? shard = null)
    {
        string[] shardArgs = shard is null ? [] : ["--shard", shard];
        Ok(CliRunner.Run(["features", images, "--out", output, "--layer", layer, "--weights", WeightsPath, "--quiet", .. shardArgs]));
        return output;
    }

    private static void Ok(CliRunner.Result result) => Assert.True(result.ExitCode == 0, result.Error);

    private string MergedFeatures(string images, string layer, int count)
    {
        var parts = new List<string>();
        for (int i = count - 1; i >= 0; i--) // given out of order on purpose: the merge orders by shard metadata
        {
            parts.Add(Features(images, layer, _single.Temp.Path($"{layer}-{Path.GetFileName(images)}-{i}of{count}.npy"), $"{i}/{count}"));
        }
        string merged = _single.Temp.Path($"{layer}-{Path.GetFileName(images)}-merged{count}.npy");
        Ok(CliRunner.Run(["merge-features", .. parts, "-o", merged, "--quiet"]));
        return merged;
    }

    private static Dictionary<string, double> Metrics(params string[] args)
    {
        var result = CliRunner.Run([.. args, "--json", "--quiet"]);
        Ok(result);
        using var json = JsonDocument.Parse(result.Out);
        return json.RootElement.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number)
            .ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void MergedFeatureShardsGiveTheSingleRunKidPrdcAndInceptionScore(int count)
    {
        string real = MergedFeatures(_single.Real, "pool3", count);
        string logits = MergedFeatures(_single.Fake, "logits-unbiased", count);

        // The rows are the single run's rows, bit for bit, in the same order: the network sees each image alone.
        Assert.Equal(File.ReadAllBytes(_single.RealFeatures), File.ReadAllBytes(real));
        Assert.Equal(File.ReadAllBytes(_single.FakeLogits), File.ReadAllBytes(logits));

        string[] settings = ["--metrics", "fid,kid,prdc", "--subsets", "10", "--subset-size", "5"];
        var expected = Metrics(["eval", _single.RealFeatures, _single.FakeFeatures, .. settings]);
        var actual = Metrics(["eval", real, _single.FakeFeatures, .. settings]);
        Assert.Equal(["coverage", "density", "f_score", "fid", "frechet_inception_distance", "kernel_inception_distance_mean", "kernel_inception_distance_std", "kid_mean", "kid_std", "precision", "recall"], expected.Keys.Where(k => !k.StartsWith("n_", StringComparison.Ordinal) && !k.StartsWith("fid_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        // Identical: same rows in the same order give the same seeded KID subsets and the same neighbourhoods.
        Assert.Equal(expected, actual);

        var expectedIs = Metrics("is", _single.FakeFeatures, "--logits", _single.FakeLogits, "--splits", "3");
        var actualIs = Metrics("is", _single.FakeFeatures, "--logits", logits, "--splits", "3");
        Assert.True(expectedIs.ContainsKey("is_mean"));
        Assert.Equal(expectedIs, actualIs);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void MergedStatisticsShardsGiveTheSingleRunFid(int count)
    {
        var parts = new List<string>();
        for (int i = 0; i < count; i++)
        {
            string part = _single.Temp.Path($"stats-{i}of{count}.npz");
            Ok(CliRunner.Run("stats", _single.Real, "--out", part, "--shard", $"{i}/{count}", "--weights", WeightsPath, "--quiet"));
            parts.Add(part);
        }
        string merged = _single.Temp.Path($"stats-merged{count}.npz");
        Ok(CliRunner.Run(["merge-stats", .. parts, "-o", merged, "--quiet"]));

        double expected = Metrics("fid", _single.RealStats, _single.FakeStats)["fid"];
        double actual = Metrics("fid", merged, _single.FakeStats)["fid"];
        Assert.True(expected > 0);
        // 1e-12 relative: the merged sums differ from one pass only by float64 summation order (~1e-16 relative),
        // and the Fréchet distance amplifies that by the conditioning of its eigenproblem, far below 1e-12 here.
        Tolerance.Close(expected, actual, 0, 1e-12, $"FID of {count} merged stats shards");
    }
}
