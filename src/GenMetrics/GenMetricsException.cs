namespace GenMetrics;

/// <summary>
/// The one exception type GenMetrics raises for problems a user can fix: bad input files, mismatched
/// sizes, wrong weights, invalid options. Its <see cref="Exception.Message"/> is a single line that names
/// the file (where there is one), the problem and the fix; the CLI prints it as is and exits non-zero.
/// </summary>
public class GenMetricsException : Exception
{
    /// <summary>Creates the exception with a one-line, user-facing message.</summary>
    public GenMetricsException(string message) : base(message) { }

    /// <summary>Creates the exception with a one-line, user-facing message and the underlying cause.</summary>
    public GenMetricsException(string message, Exception innerException) : base(message, innerException) { }
}
