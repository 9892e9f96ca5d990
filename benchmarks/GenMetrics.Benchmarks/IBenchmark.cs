namespace GenMetrics.Benchmarks;

/// <summary>
/// One benchmark concern. A plain harness: each benchmark warms up, times itself with a Stopwatch and prints
/// throughput lines; run with <c>dotnet run -c Release --project benchmarks/GenMetrics.Benchmarks -- NAME</c>.
/// </summary>
internal interface IBenchmark
{
    string Name { get; }
    string Description { get; }
    void Run(BenchmarkOptions options, TextWriter output);
}

/// <summary>Options shared by every benchmark.</summary>
/// <param name="Threads">Threads the measured code may use (the reference figures use 2).</param>
/// <param name="FixturesRoot">The ../shared/fixtures folder.</param>
internal sealed record BenchmarkOptions(int Threads, string FixturesRoot);
