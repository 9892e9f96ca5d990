using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using GenMetrics.Features;
using GenMetrics.Metrics;
using GenMetrics.Networks;

namespace GenMetrics.Cli;

/// <summary>
/// Every option of the <c>genmetrics</c> command, declared once with its description, default (from
/// <see cref="MetricDefaults"/> and the library's option records), allowed values and validation. Verbs compose
/// the ones they use; help is generated from these declarations.
/// </summary>
internal static class OptionCatalog
{
    /// <summary>Most threads <c>--threads</c> and <c>--num-workers</c> accept.</summary>
    public const int MaxThreads = 256;

    public static readonly Option<bool> Json = new("--json") { Description = "print one JSON object on stdout (schema: docs/json.md)" };

    public static readonly Option<bool> Quiet = new("--quiet", "-q") { Description = "no progress output" };

    public static readonly Option<bool> Verbose = new("--verbose") { Description = "stack traces with errors" };

    /// <summary>Options every verb accepts.</summary>
    public static IReadOnlyList<Option> Common { get; } = [Json, Quiet, Verbose];

    // --- inputs read as images ---------------------------------------------------------------------------

    public static readonly Option<bool> Recursive = new("--recursive") { Description = "include images in sub-folders of a folder input" };

    public static readonly Option<string?> Weights = new("--weights")
    {
        HelpName = "FILE",
        Description = "FID Inception weights (pytorch-fid's pt_inception-2015-12-05-6726825d.pth; NVIDIA's TorchScript inception-2015-12-05.pt for clean, clean-legacy-tf); default: found in the GenMetrics or torch hub cache, else downloaded once",
    };

    public static readonly Option<int> BatchSize = AtLeast(new Option<int>("--batch-size")
    {
        HelpName = "N",
        Description = "images per network call (results do not depend on it)",
        DefaultValueFactory = _ => FeatureExtractorOptions.DefaultBatchSize,
    }, 1);

    public static readonly Option<DeviceChoice> Device = new("--device")
    {
        HelpName = "cpu|cuda|cuda:N",
        Description = "where the network runs: cpu, or an NVIDIA GPU through ONNX Runtime's CUDA provider (needs the onnxruntime GPU build)",
        DefaultValueFactory = _ => DeviceChoice.Cpu,
        CustomParser = DeviceChoice.Parse,
    };

    public static readonly Option<int> NumWorkers = Range(new Option<int>("--num-workers")
    {
        HelpName = "N",
        Description = "image decode and resize workers running ahead of the network (0: one per two cores)",
        DefaultValueFactory = _ => 0,
    }, 0, MaxThreads);

    public static readonly Option<int> Threads = Range(new Option<int>("--threads")
    {
        HelpName = "N",
        Description = "network threads (0: one per core; results do not depend on it)",
        DefaultValueFactory = _ => 0,
    }, 0, MaxThreads);

    public static readonly Option<string?> CacheDir = new("--cache-dir")
    {
        HelpName = "DIR",
        Description = "feature cache folder (default $GENMETRICS_CACHE/features, else ~/.cache/genmetrics/features)",
    };

    public static readonly Option<bool> NoCache = new("--no-cache") { Description = "neither read nor write the feature cache" };

    /// <summary>The options of every verb that runs the Inception network on images.</summary>
    public static IReadOnlyList<Option> ImageInputs { get; } = [Recursive, Weights, BatchSize, Device, NumWorkers, CacheDir, NoCache];

    // --- distribution metrics ----------------------------------------------------------------------------

    /// <summary><c>--protocol</c> with the default of the tool a verb names.</summary>
    public static Option<string> Protocol(PreprocessingProtocol defaultProtocol) => Choices(new Option<string>("--protocol")
    {
        HelpName = "NAME",
        Description = "the reference tool's preprocessing, network and metric rules: " +
            string.Join("; ", KnownProtocols.All.Select(p => $"{p.Name}: {p.Description}")),
        DefaultValueFactory = _ => defaultProtocol.Name,
    }, [.. KnownProtocols.All.Select(p => p.Name)]);

    public static readonly Option<int?> Dims = Choices(new Option<int?>("--dims")
    {
        HelpName = "D",
        Description = "feature layer by its dimension: 64, 192, 768 or 2048 (pool3, default); checked against .npy/.npz inputs",
    }, 64, 192, 768, 2048);

    public static readonly Option<int> Splits = AtLeast(new Option<int>("--splits")
    {
        HelpName = "S",
        Description = "Inception Score splits",
        DefaultValueFactory = _ => MetricDefaults.InceptionScoreSplits,
    }, 1);

    public static readonly Option<bool> NoShuffle = new("--no-shuffle") { Description = "Inception Score without torch-fidelity's seeded shuffle" };

    public static readonly Option<int> Subsets = AtLeast(new Option<int>("--subsets")
    {
        HelpName = "N",
        Description = "KID subsets",
        DefaultValueFactory = _ => MetricDefaults.KidSubsets,
    }, 1);

    public static readonly Option<int> SubsetSize = AtLeast(new Option<int>("--subset-size")
    {
        HelpName = "M",
        Description = "KID subset size (at most both set sizes; the clean-fid protocols take min(n_real, n_fake, M))",
        DefaultValueFactory = _ => MetricDefaults.KidSubsetSize,
    }, 2);

    public static readonly Option<int?> K = AtLeast(new Option<int?>("--k")
    {
        HelpName = "K",
        Description = string.Create(CultureInfo.InvariantCulture,
            $"nearest-neighbour k of precision/recall (default {MetricDefaults.PrecisionRecallK}) and density/coverage (default {MetricDefaults.DensityCoverageK})"),
    }, 1);

    public static readonly Option<int> Seed = AtLeast(new Option<int>("--seed")
    {
        HelpName = "S",
        Description = "seed of the IS shuffle and KID subsets (numpy RandomState; torchmetrics protocols: torch.manual_seed)",
        DefaultValueFactory = _ => MetricDefaults.Seed,
    }, 0);

    public static readonly Option<string?> Logits = new("--logits")
    {
        HelpName = "F.npy",
        Description = "logits (N x 1008) of FAKE for the Inception Score when FAKE is a feature matrix",
    };

    public static readonly Option<bool> Force = new("--force") { Description = "compare inputs whose protocol, layer or weights differ" };

    public static readonly Option<string?> SaveStats = new("--save-stats")
    {
        HelpName = "S.npz",
        Description = "also write the statistics of the inputs, as pytorch-fid --save-stats: with one input, S.npz holds its statistics (no FID); with REAL and FAKE, S.real.npz and S.fake.npz",
    };

    // --- outputs -----------------------------------------------------------------------------------------

    /// <summary>
    /// <c>-o/--output FILE</c>: the JSON result also written to FILE (atomically), with or without <c>--json</c>.
    /// Every verb that prints a result has it, except those whose <c>-o</c> is the file they produce (<see cref="Out"/>).
    /// </summary>
    public static readonly Option<string?> Output = new("--output", "-o")
    {
        HelpName = "FILE",
        Description = "also write the JSON result to FILE (atomically), with or without --json",
    };

    /// <summary><c>-o/--out</c>: the file a writing verb produces.</summary>
    public static Option<string> Out(string helpName, string description) => new("--out", "-o") { HelpName = helpName, Description = description, Required = true };

    public static readonly Option<string?> Report = new("--report")
    {
        HelpName = "FILE.html",
        Description = "also write a self-contained HTML report (charts, summary, thumbnails; no network needed)",
    };

    public static readonly Option<int> ReportCount = Range(new Option<int>("--report-count")
    {
        HelpName = "K",
        Description = "examples shown in the report",
        DefaultValueFactory = _ => Reports.ReportRequest.DefaultCount,
    }, 1, Reports.ReportRequest.MaxCount);

    public static readonly Option<string?> Shard = new("--shard")
    {
        HelpName = "I/N|auto",
        Description = "process only shard I of N (a contiguous block of the sorted input); auto: from a Slurm array or Kubernetes JOB_COMPLETION_INDEX; writes OUT.shard.json (docs/cluster.md)",
    };

    public static readonly Option<int?> ShardCount = AtLeast(new Option<int?>("--shard-count")
    {
        HelpName = "N",
        Description = "shard count for --shard auto with JOB_COMPLETION_INDEX (or env GENMETRICS_SHARD_COUNT)",
    }, 1);

    // --- validation helpers ------------------------------------------------------------------------------

    /// <summary>Requires an integer option's value to be at least <paramref name="min"/>.</summary>
    public static Option<T> AtLeast<T>(Option<T> option, int min) => Range(option, min, int.MaxValue);

    private static Option<T> Range<T>(Option<T> option, int min, int max)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<T>() is int v && (v < min || v > max))
            {
                result.AddError(max == int.MaxValue
                    ? string.Create(CultureInfo.InvariantCulture, $"option {option.Name} expects an integer >= {min}, got {v}")
                    : string.Create(CultureInfo.InvariantCulture, $"option {option.Name} expects {min} to {max}, got {v}"));
            }
        });
        return option;
    }

    private static Option<int?> Choices(Option<int?> option, params int[] allowed)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is int v && !allowed.Contains(v))
            {
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"option {option.Name} must be one of {string.Join(", ", allowed)}; got {v}"));
            }
        });
        return option;
    }

    /// <summary>
    /// Restricts a string option to <paramref name="allowed"/> (case-insensitive; <see cref="CommandLineArguments.Get{T}"/>
    /// returns the value as typed, <see cref="Choice"/> its canonical spelling).
    /// </summary>
    public static Option<string> Choices(Option<string> option, string[] allowed)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string>() is { } v && !allowed.Contains(v, StringComparer.OrdinalIgnoreCase))
            {
                result.AddError($"option {option.Name} must be one of {string.Join(", ", allowed)}; got '{v}'");
            }
        });
        return option;
    }

    /// <summary>The canonical spelling of a value accepted by <see cref="Choices(Option{string}, string[])"/>.</summary>
    public static string Choice(string value, IEnumerable<string> allowed) =>
        allowed.First(a => string.Equals(a, value, StringComparison.OrdinalIgnoreCase));

    /// <summary>The layer names <c>features --layer</c> accepts.</summary>
    public static string[] LayerNames => [.. FidInceptionLayerNames.All.Select(l => l.Name)];
}
