namespace GenMetrics;

/// <summary>
/// The one exception type GenMetrics raises for problems a user can fix: bad input files, mismatched
/// sizes, wrong weights, invalid options. Its <see cref="Exception.Message"/> is a single line that names
/// the file (where there is one), the problem and the fix, in API terms (a bad value is named by its parameter or
/// property, also given as <see cref="ParameterName"/>); the CLI prints it, with the option that sets
/// <see cref="ParameterName"/>, and exits non-zero.
/// </summary>
public class GenMetricsException : Exception
{
    /// <summary>Creates the exception with a one-line, user-facing message.</summary>
    public GenMetricsException(string message) : base(message) { }

    /// <summary>Creates the exception with a one-line, user-facing message and the underlying cause.</summary>
    public GenMetricsException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// The parameter or options property whose value is at fault or is the fix (e.g. <c>SubsetSize</c> of
    /// <see cref="Evaluation.EvaluationOptions"/>, <c>subsetSize</c> of <c>Kid.Compute</c>),
    /// exactly as spelled in the API; null when the problem is an input file rather than a setting.
    /// </summary>
    public string? ParameterName { get; internal set; }
}
