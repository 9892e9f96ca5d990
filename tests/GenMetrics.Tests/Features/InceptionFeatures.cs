using GenMetrics.Checkpoints;
using GenMetrics.Features;
using GenMetrics.Imaging;
using GenMetrics.Networks;

namespace GenMetrics.Tests.Features;

/// <summary>Shared, lazily built extractors (one native session per protocol) and golden readers.</summary>
internal static class InceptionFeatures
{
    public static readonly FidInceptionLayer[] AllLayers =
    [
        FidInceptionLayer.Block64, FidInceptionLayer.Block192, FidInceptionLayer.Block768,
        FidInceptionLayer.Pool3, FidInceptionLayer.Logits, FidInceptionLayer.LogitsUnbiased,
    ];

    private static readonly Lazy<FeatureExtractor> LazyPytorchFid = new(() => Create(KnownProtocols.PytorchFid));
    private static readonly Lazy<FeatureExtractor> LazyTorchFidelity = new(() => Create(KnownProtocols.TorchFidelity));
    private static readonly Lazy<FeatureExtractor> LazyCleanPytorchInception = new(() => Create(KnownProtocols.CleanPytorchInception));
    private static readonly Lazy<FeatureExtractor> LazyClean = new(() => Create(KnownProtocols.Clean));
    private static readonly Lazy<FeatureExtractor> LazyTorchmetrics = new(() => Create(KnownProtocols.Torchmetrics));
    private static readonly Lazy<FeatureExtractor> LazyTorchmetricsNoAntialias = new(() => Create(KnownProtocols.TorchmetricsNoAntialias));
    private static readonly Lazy<FeatureExtractor> LazyCleanLegacyTensorFlow = new(() => Create(KnownProtocols.CleanLegacyTensorFlow));
    private static readonly Dictionary<string, FeatureSet> Cache = [];

    public static string WeightsPath => Fixtures.Path("weights", "fid_inception.pth");

    /// <summary>The TorchScript archive laid out like NVIDIA's inception-2015-12-05.pt (clean, clean-legacy-tf).</summary>
    public static string NvidiaWeightsPath => Fixtures.Path("weights", "nvidia_inception_torchscript.pt");

    public static FeatureExtractor For(PreprocessingProtocol protocol) =>
        protocol == KnownProtocols.PytorchFid ? LazyPytorchFid.Value
        : protocol == KnownProtocols.TorchFidelity ? LazyTorchFidelity.Value
        : protocol == KnownProtocols.Torchmetrics ? LazyTorchmetrics.Value
        : protocol == KnownProtocols.TorchmetricsNoAntialias ? LazyTorchmetricsNoAntialias.Value
        : protocol == KnownProtocols.Clean ? LazyClean.Value
        : protocol == KnownProtocols.CleanLegacyTensorFlow ? LazyCleanLegacyTensorFlow.Value
        : LazyCleanPytorchInception.Value;

    /// <summary>Features of a fixture image folder (e.g. "set_a"), computed once per protocol.</summary>
    public static FeatureSet Of(PreprocessingProtocol protocol, string folder)
    {
        string key = protocol.Name + "|" + folder;
        lock (Cache)
        {
            if (!Cache.TryGetValue(key, out var set))
            {
                using var source = ImageSource.Open(Fixtures.Path("images", folder));
                set = For(protocol).Extract(source);
                Cache[key] = set;
            }
            return set;
        }
    }

    public static double[] Golden(params string[] path) => NpyFile.Read(Fixtures.Path(path)).ToFloat64();

    public static double[] ToDouble(ReadOnlySpan<float> values)
    {
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            result[i] = values[i];
        }
        return result;
    }

    /// <summary>Max |a − b| and the relative Frobenius distance ‖a − b‖/‖b‖.</summary>
    public static (double MaxAbs, double RelativeFrobenius) Distance(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        double max = 0, diff2 = 0, norm2 = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double d = actual[i] - expected[i];
            max = Math.Max(max, Math.Abs(d));
            diff2 += d * d;
            norm2 += expected[i] * expected[i];
        }
        return (max, Math.Sqrt(diff2 / norm2));
    }

    private static FeatureExtractor Create(PreprocessingProtocol protocol) => new(new FeatureExtractorOptions
    {
        WeightsPath = protocol == KnownProtocols.Clean || protocol == KnownProtocols.CleanLegacyTensorFlow ? NvidiaWeightsPath : WeightsPath,
        Protocol = protocol,
        Layers = AllLayers,
        Threads = 2,
    });
}
