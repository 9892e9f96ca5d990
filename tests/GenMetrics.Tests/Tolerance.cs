namespace GenMetrics.Tests;

/// <summary>
/// The one tolerance type of the parity tests: |actual − expected| ≤ atol + rtol·|expected|. Each test names
/// its tier next to the assertion and says why.
/// </summary>
internal static class Tolerance
{
    public static void Close(double expected, double actual, double atol, double rtol, string what)
    {
        double limit = atol + rtol * Math.Abs(expected);
        double diff = Math.Abs(actual - expected);
        Assert.True(diff <= limit || (double.IsPositiveInfinity(expected) && double.IsPositiveInfinity(actual)),
            $"{what}: expected {expected:R}, got {actual:R}, |diff| {diff:E3} > {limit:E3} (atol {atol:E1}, rtol {rtol:E1})");
    }

    /// <summary>Element-wise check; reports the worst element.</summary>
    public static void AllClose(ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, double atol, double rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        int worstIndex = -1;
        for (int i = 0; i < expected.Length; i++)
        {
            double excess = Math.Abs(actual[i] - expected[i]) - (atol + rtol * Math.Abs(expected[i]));
            if (!(excess <= 0) && (worstIndex < 0 || excess > worst))
            {
                worst = excess;
                worstIndex = i;
            }
        }
        if (worstIndex >= 0)
        {
            Assert.Fail($"{what}: element {worstIndex} expected {expected[worstIndex]:R}, got {actual[worstIndex]:R} (atol {atol:E1}, rtol {rtol:E1})");
        }
    }

    public static void AllClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double atol, double rtol, string what)
    {
        var e = new double[expected.Length];
        var a = new double[actual.Length];
        for (int i = 0; i < e.Length; i++) e[i] = expected[i];
        for (int i = 0; i < a.Length; i++) a[i] = actual[i];
        AllClose(e, a, atol, rtol, what);
    }
}
