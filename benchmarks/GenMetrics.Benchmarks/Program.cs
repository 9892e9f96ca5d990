using GenMetrics.Benchmarks;

return BenchmarkRunner.Run(args);
