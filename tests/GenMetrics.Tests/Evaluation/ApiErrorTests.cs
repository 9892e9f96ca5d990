using System.Text.RegularExpressions;
using GenMetrics.Evaluation;
using GenMetrics.Features;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Evaluation;

/// <summary>
/// Library errors speak the API: the bad value and the parameter or options property, also given as
/// <see cref="GenMetricsException.ParameterName"/>; command-line flags are the CLI's to add.
/// </summary>
public sealed partial class ApiErrorTests
{
    private static readonly string SetA = Fixtures.Path("golden", "fid", "features_set_a_d64.npy");
    private static readonly string SetB = Fixtures.Path("golden", "fid", "features_set_b_d64.npy");

    [Fact]
    public void ADimensionMismatchNamesTheOptionsProperty()
    {
        var e = Assert.Throws<GenMetricsException>(() =>
            DistributionEvaluation.Evaluate(MetricInput.Load(SetA), MetricInput.Load(SetB), DistributionMetrics.Fid, new EvaluationOptions { Dimensions = 2048 }));
        Assert.Contains("EvaluationOptions.Dimensions is 2048", e.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(EvaluationOptions.Dimensions), e.ParameterName);
        Assert.DoesNotContain("--", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKidSubsetLargerThanTheSetsNamesTheParameterAndTheValueThatFits()
    {
        var e = Assert.Throws<GenMetricsException>(() =>
            DistributionEvaluation.Evaluate(MetricInput.Load(SetA), MetricInput.Load(SetB), DistributionMetrics.Kid,
                new EvaluationOptions { Protocol = KnownProtocols.TorchFidelity, SubsetSize = 1000 }));
        Assert.Contains("KID subset size 1000", e.Message, StringComparison.Ordinal);
        Assert.Equal("subsetSize", e.ParameterName);
        Assert.DoesNotContain("--", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpatialFidOutsideAdmNamesTheProtocolProperty()
    {
        var e = Assert.Throws<GenMetricsException>(() =>
            DistributionEvaluation.Evaluate(MetricInput.Load(SetA), MetricInput.Load(SetB), DistributionMetrics.SpatialFid,
                new EvaluationOptions { Protocol = KnownProtocols.PytorchFid }));
        Assert.Equal(nameof(EvaluationOptions.Protocol), e.ParameterName);
        Assert.Contains("KnownProtocols.Adm", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// No string literal of src/GenMetrics names a command-line flag, except the result warnings (free text for
    /// people, not tied to a parameter), the reference tools' own flags and a 'genmetrics …' command suggested as the
    /// fix for a file.
    /// </summary>
    [Fact]
    public void NoLibraryMessageNamesACommandLineFlag()
    {
        string root = Path.Combine(Fixtures.RepositoryRoot, "src", "GenMetrics");
        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, file);
            if (relative.StartsWith("bin", StringComparison.Ordinal) || relative.StartsWith("obj", StringComparison.Ordinal)) continue;
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                string line = lines[i].Trim();
                if (line.StartsWith("//", StringComparison.Ordinal) || line.Contains("warnings.Add(", StringComparison.Ordinal)) continue;
                foreach (Match literal in StringLiteral().Matches(line))
                {
                    string text = literal.Value;
                    if (!Flag().IsMatch(text) || text.Contains("'genmetrics ", StringComparison.Ordinal) || text.Contains("pytorch-fid --save-stats", StringComparison.Ordinal)) continue;
                    offenders.Add($"{relative}:{i + 1}: {text}");
                }
            }
        }
        Assert.True(offenders.Count == 0, "library strings naming flags:\n" + string.Join('\n', offenders));
    }

    [GeneratedRegex("\"[^\"]*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex("--[a-z]")]
    private static partial Regex Flag();
}
