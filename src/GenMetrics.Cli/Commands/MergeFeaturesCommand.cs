using System.CommandLine;
using System.Globalization;
using GenMetrics.Checkpoints;

namespace GenMetrics.Cli.Commands;

/// <summary><c>genmetrics merge-features A.npy B.npy ... -o all.npy</c>: concatenates feature shards in input order.</summary>
internal sealed class MergeFeaturesCommand : ICliCommand
{
    private readonly Argument<string[]> _inputs = new("FILES") { Description = "the .npy outputs of 'features --shard I/N': every shard 0..N-1 of one input exactly once", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string> _out = OptionCatalog.Out("ALL.npy", "the merged features (written atomically)");

    public string Name => "merge-features";

    public string Summary => "merge 'features --shard I/N' outputs into the features of the whole input, in its sorted order";

    public IReadOnlyList<Symbol> Symbols => [_inputs, _out];

    public int Run(CommandLineArguments args, CliContext context)
    {
        string output = args.Get(_out);
        FileKindPolicy.RequireWritableOutput(output);
        var shards = ShardInfo.Validate(args.Positionals, "features");
        var first = shards[0].Info;
        float[]? values = null; // first.Total rows, allocated once the width is known
        int columns = -1, expectedStart = 0;
        foreach (var (path, info) in shards)
        {
            if (info.Start != expectedStart) throw new GenMetricsException($"{path}: starts at image {info.Start}, expected {expectedStart}");
            var array = NpyFile.Read(path);
            if (array.Shape.Length != 2 || array.Shape[0] != info.End - info.Start)
                throw new GenMetricsException($"{path}: shape [{string.Join(", ", array.Shape)}] does not match its shard metadata ({info.End - info.Start} rows)");
            if (columns >= 0 && array.Shape[1] != columns) throw new GenMetricsException($"{path}: {array.Shape[1]} columns, expected {columns}");
            columns = array.Shape[1];
            values ??= new float[checked((long)first.Total * columns)];
            array.ToFloat32().CopyTo(values, (long)info.Start * columns);
            expectedStart = info.End;
        }
        if (expectedStart != first.Total) throw new GenMetricsException($"{shards[^1].Path}: shards end at image {expectedStart} of {first.Total}");
        NpyFile.Write(output, NpyArray.FromFloat32(values, first.Total, columns));
        new ShardInfo("features", 0, 1, 0, first.Total, first.Total, first.InputFingerprint, first.Protocol, first.Layer, first.WeightsSha256).Write(output);
        context.WriteResult(Name, j =>
        {
            j.WriteString("output", output);
            j.WriteNumber("images", first.Total);
            j.WriteNumber("dimensions", columns);
            j.WriteNumber("shards", shards.Count);
            j.WriteStartObject("settings");
            j.WriteString("protocol", first.Protocol);
            j.WriteNumber("dims", columns);
            j.WriteString("layer", first.Layer);
            j.WriteString("weights_sha256", first.WeightsSha256);
            j.WriteEndObject();
            ResultInput.WriteAll(j, shards.Select(s => new ResultInput("shard", s.Path, "features", s.Info.End - s.Info.Start)));
        }, o => o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {output}: {first.Total} x {columns} float32 from {shards.Count} shards")));
        return 0;
    }
}
