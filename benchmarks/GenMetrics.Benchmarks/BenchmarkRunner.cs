using System.Globalization;

namespace GenMetrics.Benchmarks;

/// <summary>Picks benchmarks by name (or all) and runs them.</summary>
internal static class BenchmarkRunner
{
    private static readonly IBenchmark[] All =
    [
        new LpipsBenchmark(),
        new CheckpointReadBenchmark(),
        new FeatureExtractionBenchmark(),
        new FidScaleBenchmark(),
        new SsimBenchmark(),
        new PsnrBenchmark(),
        new FrechetBenchmark(),
        new FrechetStepsBenchmark(),
        new CovarianceBenchmark(),
        new PrdcBenchmark(),
        new KidBenchmark(),
        new FeatureFileMemoryBenchmark(),
        new ParityReport(),
        new EigenBenchmark(),
        new PreprocessingBenchmark(),
    ];

    public static int Run(string[] args)
    {
        int threads = 2;
        string? fixtures = null;
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--threads") threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            else if (args[i] == "--fixtures") fixtures = args[++i];
            else names.Add(args[i]);
        }
        fixtures ??= FindFixtures();
        var options = new BenchmarkOptions(threads, fixtures);
        var selected = names.Count == 0 ? All : All.Where(b => names.Contains(b.Name)).ToArray();
        if (selected.Length == 0)
        {
            Console.Error.WriteLine($"unknown benchmark; available: {string.Join(", ", All.Select(b => b.Name))}");
            return 1;
        }
        Console.WriteLine($"# GenMetrics benchmarks, {threads} thread(s), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        foreach (var b in selected)
        {
            Console.WriteLine($"## {b.Name}: {b.Description}");
            b.Run(options, Console.Out);
        }
        return 0;
    }

    private static string FindFixtures()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GenMetrics.slnx"))) dir = dir.Parent;
        if (dir is null) throw new InvalidOperationException("run from inside the repository or pass --fixtures");
        return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures"));
    }
}
