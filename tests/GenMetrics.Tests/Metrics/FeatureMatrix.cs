using GenMetrics.Checkpoints;
using GenMetrics.Statistics;

namespace GenMetrics.Tests.Metrics;

/// <summary>Loads golden feature matrices and derives their statistics.</summary>
internal static class FeatureMatrix
{
    public static (double[] Values, int Rows, int Columns) Load(params string[] parts)
    {
        var a = NpyFile.Read(Fixtures.Path(parts));
        return (a.ToFloat64(), a.Shape[0], a.Shape[1]);
    }

    public static GaussianStatistics Statistics(params string[] parts)
    {
        var (x, n, d) = Load(parts);
        var acc = new FeatureStatistics(d);
        acc.Add(x);
        return GaussianStatistics.From(acc, StatsProvenance.Unknown);
    }
}
