namespace GenMetrics.Metrics;

/// <summary>Validation shared by the metrics that compare two feature matrices.</summary>
internal static class FeatureSets
{
    /// <summary>Checks shapes, finiteness and <see cref="FeatureMagnitude"/> (distances); returns the row counts.</summary>
    public static (int NReal, int NFake) Validate(double[] real, double[] fake, int dimension)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(fake);
        var counts = RowCounts(real.Length, fake.Length, dimension);
        RequireFinite(real, "real");
        RequireFinite(fake, "fake");
        FeatureMagnitude.Require(real, dimension, FeatureMagnitude.DistancesAndCovariance, "real", Metric);
        FeatureMagnitude.Require(fake, dimension, FeatureMagnitude.DistancesAndCovariance, "fake", Metric);
        return counts;
    }

    /// <inheritdoc cref="Validate(double[], double[], int)"/>
    public static (int NReal, int NFake) Validate(ReadOnlySpan<float> real, ReadOnlySpan<float> fake, int dimension)
    {
        var counts = RowCounts(real.Length, fake.Length, dimension);
        RequireFinite(real, "real");
        RequireFinite(fake, "fake");
        FeatureMagnitude.Require(real, dimension, FeatureMagnitude.DistancesAndCovariance, "real", Metric);
        FeatureMagnitude.Require(fake, dimension, FeatureMagnitude.DistancesAndCovariance, "fake", Metric);
        return counts;
    }

    private const string Metric = "precision/recall/density/coverage";

    private static (int NReal, int NFake) RowCounts(int realLength, int fakeLength, int dimension)
    {
        if (dimension <= 0 || realLength % dimension != 0 || fakeLength % dimension != 0)
        {
            throw new GenMetricsException($"feature matrices do not have {dimension} columns");
        }
        int nReal = realLength / dimension, nFake = fakeLength / dimension;
        if (nReal < 2 || nFake < 2) throw new GenMetricsException($"need at least 2 samples per set, got {nReal} real and {nFake} fake");
        return (nReal, nFake);
    }

    /// <inheritdoc cref="RequireFinite(double[], string)"/>
    public static void RequireFinite(ReadOnlySpan<float> values, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) throw new GenMetricsException($"{what} features contain NaN or infinity (element {i}); check the feature extraction");
        }
    }

    /// <summary>Throws, naming <paramref name="what"/> and the first offending element, on NaN or infinity.</summary>
    public static void RequireFinite(double[] values, string what)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i])) throw new GenMetricsException($"{what} features contain NaN or infinity (element {i}); check the feature extraction");
        }
    }
}
