using System.CommandLine;
using GenMetrics.Checkpoints;
using GenMetrics.Weights;

namespace GenMetrics.Cli.Commands;

/// <summary>
/// <c>genmetrics weights</c>: lists the known weights and where each is found; <c>--download NAME</c>
/// fetches one into the cache; <c>--inspect FILE</c> lists the tensors of any checkpoint.
/// </summary>
internal sealed class WeightsCommand : ICliCommand
{
    public string Name => "weights";

    public string Summary =>
        "list the known weights, their download URLs and where each is found: the GenMetrics cache ($GENMETRICS_CACHE/weights, else " +
        "$XDG_CACHE_HOME/genmetrics/weights, else ~/.cache/genmetrics/weights), then the torch hub cache ($TORCH_HOME/hub/checkpoints, " +
        "default ~/.cache/torch/hub/checkpoints); download or inspect a checkpoint. Environment: GENMETRICS_WEIGHTS_URL=URL downloads " +
        "from URL/<file name> (a mirror); GENMETRICS_OFFLINE=1 never downloads";

    private static readonly Option<string?> DownloadName = new("--download")
    {
        HelpName = "NAME|all",
        Description = "make sure the weights are present, downloading them into the GenMetrics cache (SHA-256 checked); NAME from the list, or all",
    };

    private static readonly Option<string?> InspectFile = new("--inspect")
    {
        HelpName = "FILE",
        Description = "read a .pth (zip or legacy), TorchScript or .safetensors file and list its tensors",
    };

    public IReadOnlyList<Symbol> Symbols => [DownloadName, InspectFile];

    public int Run(CommandLineArguments args, CliContext context)
    {
        if (args.Get(InspectFile) is { } file)
        {
            Inspect(CheckpointReader.Read(file), file, context);
            return 0;
        }
        var resolver = WeightsResolver.FromEnvironment();
        if (args.Get(DownloadName) is { } name)
        {
            var selected = name == "all"
                ? KnownWeights.All
                : [KnownWeights.Find(name) ?? throw new GenMetricsException($"unknown weights '{name}'; known: {string.Join(", ", KnownWeights.All.Select(w => w.Name))}, all")];
            var progress = context.CreateProgress();
            var results = selected.Select(w => (Weight: w, Location: resolver.Resolve(w, progress: progress))).ToList();
            Write(results, resolver, context);
            return 0;
        }
        Write(KnownWeights.All.Select(w => (w, resolver.Locate(w))).ToList(), resolver, context);
        return 0;
    }

    private void Write(List<(KnownWeight Weight, WeightsLocation Location)> rows, WeightsResolver resolver, CliContext context) =>
        context.WriteResult(Name, w =>
        {
            w.WriteString("genmetrics_cache", resolver.Folders.GenMetricsCache);
            w.WriteString("torch_hub_cache", resolver.Folders.TorchHubCheckpoints);
            w.WriteStartArray("weights");
            foreach (var (weight, location) in rows)
            {
                w.WriteStartObject();
                w.WriteString("name", weight.Name);
                w.WriteString("file", weight.FileName);
                w.WriteString("url", resolver.DownloadUrl(weight).ToString());
                w.WriteString("sha256_prefix", weight.Sha256Prefix);
                w.WriteString("source", SourceName(location.Source));
                if (location.Path is null) w.WriteNull("path");
                else w.WriteString("path", location.Path);
                w.WriteString("description", weight.Description);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("settings");
            w.WriteEndObject();
            ResultInput.WriteAll(w, []);
        }, o =>
        {
            o.WriteLine($"GenMetrics cache: {resolver.Folders.GenMetricsCache}");
            o.WriteLine($"torch hub cache:  {resolver.Folders.TorchHubCheckpoints}");
            foreach (var (weight, location) in rows)
            {
                o.WriteLine();
                o.WriteLine($"{weight.Name}: {weight.Description}");
                o.WriteLine($"  file   {weight.FileName} (sha256 {(weight.Sha256Prefix.Length > 0 ? weight.Sha256Prefix[..Math.Min(16, weight.Sha256Prefix.Length)] + "…" : "not checked")})");
                o.WriteLine($"  url    {resolver.DownloadUrl(weight)}");
                o.WriteLine($"  found  {(location.Path is null ? "no (downloaded on first use)" : $"{location.Path} [{SourceName(location.Source)}]")}");
            }
        });

    private void Inspect(StateDict state, string file, CliContext context) =>
        context.WriteResult(Name, w =>
        {
            w.WriteString("file", state.SourcePath);
            w.WriteString("format", state.Format.ToString());
            w.WriteNumber("tensors", state.Count);
            w.WriteNumber("values", state.Values.Sum(t => (long)t.ElementCount));
            w.WriteStartArray("keys");
            foreach (var tensor in state.Values)
            {
                w.WriteStartObject();
                w.WriteString("name", tensor.Name);
                w.WriteString("dtype", tensor.DType.ToString());
                w.WriteStartArray("shape");
                foreach (int d in tensor.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartObject("settings");
            w.WriteEndObject();
            ResultInput.WriteAll(w, [new("input", file, "checkpoint")]);
        }, o =>
        {
            o.WriteLine($"{state.SourcePath}: {state.Format}, {state.Count} tensors, {state.Values.Sum(t => (long)t.ElementCount)} values");
            foreach (var tensor in state.Values)
            {
                o.WriteLine($"  {tensor.Name,-50} {tensor.DType,-9} [{string.Join(", ", tensor.Shape)}]");
            }
        });

    private static string SourceName(WeightsSource source) => source switch
    {
        WeightsSource.Explicit => "explicit",
        WeightsSource.GenMetricsCache => "genmetrics-cache",
        WeightsSource.TorchHubCache => "torch-hub-cache",
        WeightsSource.Downloaded => "downloaded",
        _ => "not-found",
    };
}
