using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using GenMetrics.Imaging;

namespace GenMetrics.Cli.Commands;

/// <summary>
/// <c>--shard I/N</c>: the <see cref="ImageShard"/> I of N (a contiguous block of the sorted input, every image in
/// exactly one shard whatever the threads or batch size). <c>--shard auto</c> reads
/// SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (or SLURM_ARRAY_TASK_MIN/MAX), or Kubernetes
/// JOB_COMPLETION_INDEX with <c>--shard-count</c> or GENMETRICS_SHARD_COUNT.
/// </summary>
internal static class ShardSpec
{
    /// <summary>The options of a verb that can work on one shard.</summary>
    public static Option[] Options => [OptionCatalog.Shard, OptionCatalog.ShardCount];

    public static ImageShard? Read(CommandLineArguments args, Func<string, string?>? env = null) =>
        Read(args.Get(OptionCatalog.Shard), args.Get(OptionCatalog.ShardCount), env);

    /// <summary>The shard named by <c>--shard</c> (and <c>--shard-count</c>), or null.</summary>
    public static ImageShard? Read(string? value, int? countOverride, Func<string, string?>? env = null)
    {
        if (value is null) return null;
        env ??= Environment.GetEnvironmentVariable;
        if (value == "auto")
        {
            if (env("SLURM_ARRAY_TASK_ID") is { Length: > 0 } id)
            {
                int task = ParseInt(id, "SLURM_ARRAY_TASK_ID");
                int min = env("SLURM_ARRAY_TASK_MIN") is { Length: > 0 } mn ? ParseInt(mn, "SLURM_ARRAY_TASK_MIN") : 0;
                int? count = countOverride
                    ?? (env("SLURM_ARRAY_TASK_COUNT") is { Length: > 0 } n ? ParseInt(n, "SLURM_ARRAY_TASK_COUNT")
                    : env("SLURM_ARRAY_TASK_MAX") is { Length: > 0 } mx ? ParseInt(mx, "SLURM_ARRAY_TASK_MAX") - min + 1 : null);
                if (count is null) throw new GenMetricsException("--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX; pass --shard-count N");
                return Create(task - min, count.Value);
            }
            if (env("JOB_COMPLETION_INDEX") is { Length: > 0 } k)
            {
                int? count = countOverride ?? (env("GENMETRICS_SHARD_COUNT") is { Length: > 0 } g ? ParseInt(g, "GENMETRICS_SHARD_COUNT") : null);
                if (count is null) throw new GenMetricsException("--shard auto: JOB_COMPLETION_INDEX is set; pass --shard-count N or set GENMETRICS_SHARD_COUNT (the Job's completions)");
                return Create(ParseInt(k, "JOB_COMPLETION_INDEX"), count.Value);
            }
            throw new GenMetricsException("--shard auto: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set; pass --shard I/N");
        }
        int slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) throw new GenMetricsException($"--shard {value}: expected I/N (e.g. 0/4) or auto");
        return Create(ParseInt(value[..slash], "--shard"), ParseInt(value[(slash + 1)..], "--shard"));
    }

    private static ImageShard Create(int index, int count)
    {
        if (count < 1 || index < 0 || index >= count) throw new GenMetricsException($"--shard {index}/{count}: need 0 <= I < N");
        return new ImageShard(index, count);
    }

    private static int ParseInt(string s, string what) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new GenMetricsException($"{what}: '{s}' is not an integer");

    /// <summary>SHA-256 (hex) of the sorted relative paths, one per line, followed by the line "count=n".</summary>
    public static string Fingerprint(ImageSource source)
    {
        var sb = new StringBuilder();
        foreach (var e in source.Entries) sb.Append(e.RelativePath).Append('\n');
        sb.Append("count=").Append(source.Entries.Count.ToString(CultureInfo.InvariantCulture)).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    public static string SidecarPath(string output) => output + ".shard.json";
}
