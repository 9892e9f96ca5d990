namespace GenMetrics;

/// <summary>Progress of a long operation, reported through <see cref="IProgress{T}"/>.</summary>
/// <param name="Stage">What is being done, e.g. "features set_a".</param>
/// <param name="Done">Units finished so far.</param>
/// <param name="Total">Units in all, or 0 when unknown.</param>
public readonly record struct WorkProgress(string Stage, long Done, long Total);
