using System.Globalization;
using GenMetrics.Evaluation;
using GenMetrics.Metrics;

namespace GenMetrics.Cli.Commands;

/// <summary>The options shared by fid/is/kid/prdc/eval/stats, read into <see cref="EvaluationOptions"/>; defaults come from <see cref="MetricDefaults"/>.</summary>
internal static class DistributionOptions
{
    public static readonly string[] ValueOptions =
        ["--protocol", "--dims", "--splits", "--subsets", "--subset-size", "--k", "--seed", "--batch-size", "--device", "--weights", "--logits", "--metrics", "--cache-dir"];

    public static readonly string[] FlagOptions = ["--force", "--no-shuffle", "--no-cache"];

    public static CommandOptions Create() => new(ValueOptions, FlagOptions);

    public static string HelpText { get; } = string.Create(CultureInfo.InvariantCulture, $"""
        options:
          --protocol P       pytorch-fid (default), torch-fidelity (float32 mean for FID; TF1 resize), or:
                             clean: clean-fid mode='clean' (Pillow bicubic, NVIDIA TorchScript Inception inception-2015-12-05.pt)
                             clean-legacy-tf: clean-fid mode='legacy_tensorflow' (grid_sample TF1 resize, NVIDIA Inception)
                             clean-pytorch-inception: clean-fid's clean resize on the pytorch-fid network
                             (the clean-fid protocols take KID subsets of min(n_real, n_fake, --subset-size))
                             torchmetrics: antialiased bilinear resize, torchmetrics' FID/KID/IS rules (torch.randperm subsets,
                             torch.chunk IS splits, N-1 IS std); torchmetrics-no-antialias: the same with antialias=False
                             adm: ADM evaluator (TF1 resize, FID + sFID, IS in 5000-row splits, squared-distance P/R;
                             chosen by default when an input is an ADM batch .npz with arr_0)
          --dims D           feature layer / dimension: 64, 192, 768, 2048 (checked against .npy/.npz inputs)
          --splits S         Inception Score splits (default {MetricDefaults.InceptionScoreSplits})
          --no-shuffle       Inception Score without torch-fidelity's seeded shuffle
          --subsets N        KID subsets (default {MetricDefaults.KidSubsets})
          --subset-size M    KID subset size (default {MetricDefaults.KidSubsetSize}; must be <= both set sizes)
          --k K              neighbourhood for precision/recall (default {MetricDefaults.PrecisionRecallK}) and density/coverage (default {MetricDefaults.DensityCoverageK})
          --seed S           seed of the IS shuffle and KID subsets (default {MetricDefaults.Seed}, numpy RandomState;
                             torchmetrics protocols: torch.manual_seed(S) before compute())
          --logits F.npy     logits (N x 1008) of FAKE for IS when FAKE is a feature matrix
          --weights W.pth    FID Inception weights (needed for image inputs; NVIDIA's .pt for clean, clean-legacy-tf)
          --batch-size B     images per network call (default {GenMetrics.Features.FeatureExtractorOptions.DefaultBatchSize}; results do not depend on it)
          --device D         cpu (default) or cuda
          --cache-dir DIR    feature cache (default ~/.cache/genmetrics/features); --no-cache to bypass it
          --force            compare inputs whose protocol/layer/weights differ
          --json             one JSON object on stdout
        inputs: .npy feature matrices (N x d; logits N x 1008 for IS), .npz statistics (FID only), image folders/zips,
                ADM batches (.npz with arr_0 uint8 N x H x W x 3; reference batches' mu/sigma/mu_s/sigma_s feed FID/sFID)
        """);

    public static ImageFeatureSettings ReadImageSettings(CommandLineArguments args, CliContext context) => new()
    {
        WeightsPath = args.GetString("--weights"),
        BatchSize = args.GetInt("--batch-size", GenMetrics.Features.FeatureExtractorOptions.DefaultBatchSize, min: 1),
        Device = args.GetChoice("--device", "cpu", "cpu", "cuda") == "cuda" ? ComputeDevice.Cuda : ComputeDevice.Cpu,
        CacheDirectory = args.GetString("--cache-dir"),
        NoCache = args.Has("--no-cache"),
        Progress = context.CreateProgress(),
    };

    public static EvaluationOptions Read(CommandLineArguments args)
    {
        int? k = args.GetString("--k") is null ? null : args.GetInt("--k", 0, min: 1);
        string? protocol = args.GetString("--protocol");
        return new EvaluationOptions
        {
            Protocol = protocol is null ? null : GenMetrics.Features.KnownProtocols.Parse(protocol),
            Dimensions = args.GetString("--dims") is null ? null : args.GetInt("--dims", 2048, min: 1),
            Splits = args.GetInt("--splits", MetricDefaults.InceptionScoreSplits, min: 1),
            Shuffle = !args.Has("--no-shuffle"),
            Subsets = args.GetInt("--subsets", MetricDefaults.KidSubsets, min: 1),
            SubsetSize = args.GetInt("--subset-size", MetricDefaults.KidSubsetSize, min: 2),
            PrecisionRecallK = k ?? MetricDefaults.PrecisionRecallK,
            DensityCoverageK = k ?? MetricDefaults.DensityCoverageK,
            Seed = args.GetInt("--seed", MetricDefaults.Seed, min: 0),
            Force = args.Has("--force"),
            LogitsPath = args.GetString("--logits"),
        };
    }
}
