using System.Diagnostics;

namespace GenMetrics.Tests.Cluster;

/// <summary>Runs alone: the cluster's four array tasks would otherwise compete with the rest of the suite for the CPUs.</summary>
[CollectionDefinition(nameof(SlurmCluster), DisableParallelization = true)]
public sealed class SlurmCluster;

/// <summary>
/// A real one-node Slurm cluster (tests/cluster/slurm.sh): an <c>sbatch --array=0-3</c> of <c>features</c> and
/// <c>stats</c> with <c>--shard auto</c>, a dependent (<c>afterok</c>) merge job, and the merged FID, KID and PR/DC
/// compared with one process. The script fails (never skips) when the daemons cannot start, printing their logs.
/// </summary>
[Collection(nameof(SlurmCluster))]
public sealed class SlurmArrayTests
{
    /// <summary>The script's own limit for the jobs is 300 s; this covers start-up, the single run and the checks.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(8);

    [Fact]
    public async Task ArrayShardsMergedByDependentJobEqualOneRun()
    {
        string script = Path.Combine(Fixtures.RepositoryRoot, "tests", "cluster", "slurm.sh");
        // The CLI built beside the tests (a project reference), so the script does not build it again.
        string cli = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "GenMetrics.Cli.exe" : "GenMetrics.Cli");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(cli);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM lets the script's trap stop the daemons; then make sure nothing is left.
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill!.WaitForExitAsync();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try { await process.WaitForExitAsync(grace.Token); } catch (OperationCanceledException) { process.Kill(entireProcessTree: true); }
            Assert.Fail($"tests/cluster/slurm.sh did not finish within {Limit.TotalMinutes} minutes:\n{await stderr}");
        }
        string log = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, $"tests/cluster/slurm.sh exited {process.ExitCode}:\n{log}");
        Assert.Contains("PASS: 4 Slurm shards merged = one run", log);
    }
}
