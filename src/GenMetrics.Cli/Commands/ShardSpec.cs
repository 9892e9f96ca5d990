using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenMetrics.Imaging;

namespace GenMetrics.Cli.Commands;

/// <summary>
/// <c>--shard I/N</c>: shard I of N takes the contiguous block [floor(I*n/N), floor((I+1)*n/N)) of the sorted
/// input, so every image is in exactly one shard whatever the threads or batch size. <c>--shard auto</c> reads
/// SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT (or SLURM_ARRAY_TASK_MIN/MAX), or Kubernetes
/// JOB_COMPLETION_INDEX with <c>--shard-count</c> or GENMETRICS_SHARD_COUNT.
/// </summary>
internal sealed record ShardSpec(int Index, int Count)
{
    public const string HelpText =
        "  --shard I/N|auto         process only shard I of N (contiguous block of the sorted input); auto: Slurm array or\n" +
        "                           Kubernetes JOB_COMPLETION_INDEX; writes OUT.shard.json (see docs/cluster.md)\n" +
        "  --shard-count N          shard count for --shard auto with JOB_COMPLETION_INDEX (or env GENMETRICS_SHARD_COUNT)\n";

    public static ShardSpec? Read(CommandLineArguments args, Func<string, string?>? env = null)
    {
        string? value = args.GetString("--shard");
        if (value is null) return null;
        env ??= Environment.GetEnvironmentVariable;
        int? countOverride = args.GetString("--shard-count") is { } c ? ParseInt(c, "--shard-count") : null;
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

    private static ShardSpec Create(int index, int count)
    {
        if (count < 1 || index < 0 || index >= count) throw new GenMetricsException($"--shard {index}/{count}: need 0 <= I < N");
        return new ShardSpec(index, count);
    }

    private static int ParseInt(string s, string what) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new GenMetricsException($"{what}: '{s}' is not an integer");

    public (int Start, int End) Range(int n) => ((int)((long)Index * n / Count), (int)((long)(Index + 1) * n / Count));

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

/// <summary>The contents of OUT.shard.json.</summary>
internal sealed record ShardInfo(string Kind, int ShardIndex, int ShardCount, int Start, int End, int Total,
    string InputFingerprint, string Protocol, string Layer, string WeightsSha256)
{
    public void Write(string output)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("format", "genmetrics-shard/1");
            w.WriteString("kind", Kind);
            w.WriteString("shard", $"{ShardIndex}/{ShardCount}");
            w.WriteNumber("shard_index", ShardIndex);
            w.WriteNumber("shard_count", ShardCount);
            w.WriteNumber("start", Start);
            w.WriteNumber("end", End);
            w.WriteNumber("total", Total);
            w.WriteString("input_fingerprint", InputFingerprint);
            w.WriteString("protocol", Protocol);
            w.WriteString("layer", Layer);
            w.WriteString("weights_sha256", WeightsSha256);
            w.WriteEndObject();
        }
        string path = ShardSpec.SidecarPath(output);
        GenMetrics.Checkpoints.AtomicFileWriter.Write(path, s => stream.WriteTo(s));
    }

    public static ShardInfo? TryRead(string output)
    {
        string path = ShardSpec.SidecarPath(output);
        if (!File.Exists(path)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var r = doc.RootElement;
            return new ShardInfo(r.GetProperty("kind").GetString()!, r.GetProperty("shard_index").GetInt32(), r.GetProperty("shard_count").GetInt32(),
                r.GetProperty("start").GetInt32(), r.GetProperty("end").GetInt32(), r.GetProperty("total").GetInt32(),
                r.GetProperty("input_fingerprint").GetString()!, r.GetProperty("protocol").GetString()!, r.GetProperty("layer").GetString()!,
                r.GetProperty("weights_sha256").GetString()!);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new GenMetricsException($"{path}: not a valid shard metadata file ({ex.Message.Split('\n')[0]})");
        }
    }

    /// <summary>Checks that <paramref name="paths"/> are all the shards 0..N-1 of one input, each once; returns them in shard order.</summary>
    public static IReadOnlyList<(string Path, ShardInfo Info)> Validate(IReadOnlyList<string> paths, string kind)
    {
        var shards = new List<(string Path, ShardInfo Info)>();
        foreach (string p in paths)
        {
            var info = TryRead(p) ?? throw new GenMetricsException($"{p}: no shard metadata ({ShardSpec.SidecarPath(p)} missing); write it with --shard I/N");
            if (info.Kind != kind) throw new GenMetricsException($"{p}: is a {info.Kind} shard, expected {kind}");
            if (shards.Count > 0)
            {
                var (firstPath, first) = shards[0];
                if (info.InputFingerprint != first.InputFingerprint) throw new GenMetricsException($"{p}: foreign shard: input fingerprint {info.InputFingerprint[..12]} differs from {firstPath} ({first.InputFingerprint[..12]})");
                if (info.Protocol != first.Protocol || info.Layer != first.Layer || info.WeightsSha256 != first.WeightsSha256)
                    throw new GenMetricsException($"{p}: foreign shard: protocol/layer/weights {info.Protocol}/{info.Layer}/{info.WeightsSha256[..Math.Min(12, info.WeightsSha256.Length)]} differ from {firstPath}");
                if (info.ShardCount != first.ShardCount) throw new GenMetricsException($"{p}: shard {info.ShardIndex}/{info.ShardCount} but {firstPath} is of {first.ShardCount} shards");
                foreach (var (q, other) in shards)
                {
                    if (other.ShardIndex == info.ShardIndex) throw new GenMetricsException($"{p}: duplicate shard {info.ShardIndex}/{info.ShardCount} (also {q})");
                }
            }
            shards.Add((p, info));
        }
        int n = shards[0].Info.ShardCount;
        for (int i = 0; i < n; i++)
        {
            if (!shards.Any(s => s.Info.ShardIndex == i)) throw new GenMetricsException($"shard {i}/{n} missing: merging {shards.Count} of {n} shards of {shards[0].Path}'s input");
        }
        return shards.OrderBy(s => s.Info.ShardIndex).ToList();
    }
}
