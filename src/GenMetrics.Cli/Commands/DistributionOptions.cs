using System.CommandLine;
using GenMetrics.Evaluation;
using GenMetrics.Features;

namespace GenMetrics.Cli.Commands;

/// <summary>
/// The arguments and options of the distribution verbs (fid, is, kid, prdc, eval, stats), read into
/// <see cref="EvaluationOptions"/> and <see cref="ImageFeatureSettings"/>. Options a verb does not declare keep the
/// library's defaults (<see cref="Metrics.MetricDefaults"/>).
/// </summary>
internal static class DistributionOptions
{
    public const string InputKinds =
        "an image folder, a .zip of images, one image file, an .npy feature matrix (N x d), an .npz statistics file (mu, sigma) or an ADM batch (.npz with arr_0)";

    public static Argument<string> Real() => new("REAL") { Description = $"the reference set: {InputKinds}" };

    public static Argument<string> Fake() => new("FAKE") { Description = $"the generated set: {InputKinds}" };

    /// <summary>The options of FID itself (every verb that computes it).</summary>
    public static Option[] Fid => [OptionCatalog.Dims, OptionCatalog.Force];

    public static Option[] InceptionScore => [OptionCatalog.Splits, OptionCatalog.NoShuffle, OptionCatalog.Seed, OptionCatalog.Logits];

    public static Option[] Kid => [OptionCatalog.Dims, OptionCatalog.Subsets, OptionCatalog.SubsetSize, OptionCatalog.Seed, OptionCatalog.Force];

    public static Option[] Prdc => [OptionCatalog.Dims, OptionCatalog.K, OptionCatalog.Force];

    /// <summary>The option set of the verbs that compute several metrics (each option once).</summary>
    public static Option[] Union(params Option[][] groups) => [.. groups.SelectMany(g => g).Distinct()];

    public static ImageFeatureSettings ReadImageSettings(CommandLineArguments args, CliContext context)
    {
        DeviceChoice device = args.Get(OptionCatalog.Device);
        return new ImageFeatureSettings
        {
            WeightsPath = args.Get(OptionCatalog.Weights),
            BatchSize = args.Get(OptionCatalog.BatchSize),
            Device = device.Device,
            DeviceId = device.DeviceId,
            DecodeWorkers = args.Get(OptionCatalog.NumWorkers),
            Recursive = args.Get(OptionCatalog.Recursive),
            CacheDirectory = args.Get(OptionCatalog.CacheDir),
            NoCache = args.Get(OptionCatalog.NoCache),
            Progress = context.CreateProgress(),
        };
    }

    /// <summary>Reads <paramref name="protocol"/> and the metric options the verb declares.</summary>
    public static EvaluationOptions Read(CommandLineArguments args, Option<string> protocol)
    {
        var o = new EvaluationOptions
        {
            Protocol = args.IsGiven(protocol) ? KnownProtocols.Parse(args.Get(protocol)) : null,
            DefaultProtocol = KnownProtocols.Parse(args.Get(protocol)),
        };
        if (args.Declares(OptionCatalog.Dims)) o = o with { Dimensions = args.Get(OptionCatalog.Dims) };
        if (args.Declares(OptionCatalog.Force)) o = o with { Force = args.Get(OptionCatalog.Force) };
        if (args.Declares(OptionCatalog.Splits)) o = o with { Splits = args.Get(OptionCatalog.Splits), Shuffle = !args.Get(OptionCatalog.NoShuffle) };
        if (args.Declares(OptionCatalog.Seed)) o = o with { Seed = args.Get(OptionCatalog.Seed) };
        if (args.Declares(OptionCatalog.Logits)) o = o with { LogitsPath = args.Get(OptionCatalog.Logits) };
        if (args.Declares(OptionCatalog.Subsets)) o = o with { Subsets = args.Get(OptionCatalog.Subsets), SubsetSize = args.Get(OptionCatalog.SubsetSize) };
        if (args.Declares(OptionCatalog.K) && args.Get(OptionCatalog.K) is int k) o = o with { PrecisionRecallK = k, DensityCoverageK = k };
        return o;
    }

    /// <summary>The protocol option of a verb named after <paramref name="tool"/>'s metric.</summary>
    public static Option<string> ProtocolFor(PreprocessingProtocol tool) => OptionCatalog.Protocol(tool);
}
