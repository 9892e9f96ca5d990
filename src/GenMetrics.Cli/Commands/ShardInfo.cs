using System.Text.Json;
using GenMetrics.Checkpoints;

namespace GenMetrics.Cli.Commands;

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
        byte[] bytes = stream.ToArray();
        AtomicFileWriter.Write(ShardSpec.SidecarPath(output), s => s.Write(bytes));
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
