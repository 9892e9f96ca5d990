using System.Buffers;
using GenMetrics.Imaging;
using GenMetrics.Networks;
using GenMetrics.Weights;

namespace GenMetrics.Features;

/// <summary>
/// How decoded RGB bytes become the 3×299×299 float32 input of the FID Inception-v3: the resize kernel and the
/// value mapping of one reference tool. The protocol's <see cref="Name"/> is recorded with every output.
/// Instances are the members of <see cref="KnownProtocols"/>.
/// </summary>
public sealed class PreprocessingProtocol
{
    private readonly ResizeKernel _kernel;

    /// <summary>Whether the Pillow bicubic output is normalised as (x − 128)/128 (NVIDIA's network) rather than x/255 → 2x − 1.</summary>
    private readonly bool _centred128;

    private PreprocessingProtocol(string name, string description, ResizeKernel kernel, FidMean mean, MetricRules rules,
        InceptionWeightsLayout network = InceptionWeightsLayout.PytorchFid, bool centred128 = false, bool kidSubsetsFitSets = false)
    {
        Name = name;
        Description = description;
        _kernel = kernel;
        _centred128 = centred128;
        Mean = mean;
        Rules = rules;
        Network = network;
        KidSubsetsFitSets = kidSubsetsFitSets;
    }

    /// <summary>
    /// The name a user types and a statistics file records (pytorch-fid, torch-fidelity, clean, torchmetrics, …);
    /// <see cref="KnownProtocols.Parse"/> turns it back into the protocol.
    /// </summary>
    public string Name { get; }

    /// <summary>One line saying what the protocol computes.</summary>
    public string Description { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Whose KID, Inception Score and precision/recall rules the protocol's metrics follow.</summary>
    internal MetricRules Rules { get; }

    /// <summary>The precision of FID's μ in the protocol's reference.</summary>
    internal FidMean Mean { get; }

    /// <summary>Which published Inception checkpoint (and tensor naming) the protocol's network is built from.</summary>
    internal InceptionWeightsLayout Network { get; }

    /// <summary>
    /// clean-fid's KID rule: subsets of min(n_real, n_fake, requested size) rows instead of refusing a subset larger
    /// than a set (<c>kernel_distance</c>: <c>m = min(min(n1, n2), max_subset_size)</c>).
    /// </summary>
    internal bool KidSubsetsFitSets { get; }

    /// <summary>The KID subset size used for sets of <paramref name="realRows"/> and <paramref name="fakeRows"/> rows when <paramref name="requested"/> is asked for.</summary>
    internal int KidSubsetSize(int requested, int realRows, int fakeRows) =>
        KidSubsetsFitSets ? Math.Min(requested, Math.Min(realRows, fakeRows)) : requested;

    /// <summary>The weights looked up (caches, then download) when no weights path is given.</summary>
    internal KnownWeight DefaultWeights => Network == InceptionWeightsLayout.NvidiaTorchScript ? KnownWeights.NvidiaInception : KnownWeights.FidInceptionV3;

    internal static PreprocessingProtocol PytorchFid { get; } = new("pytorch-fid",
        "x/255 -> F.interpolate(bilinear, align_corners=False, no antialias) to 299 -> 2x-1", ResizeKernel.PyTorchBilinear, FidMean.Float64, MetricRules.TorchFidelity);

    internal static PreprocessingProtocol TorchFidelity { get; } = new("torch-fidelity",
        "0..255 -> TF1 resize_bilinear (no half-pixel) to 299 -> (x-128)/128", ResizeKernel.TensorFlowBilinear, FidMean.Float32, MetricRules.TorchFidelity);

    internal static PreprocessingProtocol Adm { get; } = new("adm",
        "uint8 arr_0 at native size -> float 0..255 -> TF1 resize_bilinear (no half-pixel) to 299 -> (x-128)/128 (ADM evaluator's graph)",
        ResizeKernel.TensorFlowBilinear, FidMean.Float32, MetricRules.Adm);

    internal static PreprocessingProtocol Clean { get; } = new("clean",
        "0..255 -> per-channel Pillow BICUBIC 'F' resize to 299 -> clip 0..255 -> (x-128)/128 -> NVIDIA TorchScript Inception (clean-fid mode='clean')",
        ResizeKernel.PillowBicubic, FidMean.Float32, MetricRules.TorchFidelity, InceptionWeightsLayout.NvidiaTorchScript, centred128: true, kidSubsetsFitSets: true);

    internal static PreprocessingProtocol CleanLegacyTensorFlow { get; } = new("clean-legacy-tf",
        "0..255 -> affine_grid/grid_sample bilinear (TF1 alignment, border) to 299 -> (x-128)/128 -> NVIDIA TorchScript Inception (clean-fid mode='legacy_tensorflow')",
        ResizeKernel.GridSampleTf1, FidMean.Float32, MetricRules.TorchFidelity, InceptionWeightsLayout.NvidiaTorchScript, kidSubsetsFitSets: true);

    internal static PreprocessingProtocol CleanPytorchInception { get; } = new("clean-pytorch-inception",
        "0..255 -> per-channel Pillow BICUBIC 'F' resize to 299 -> clip 0..255 -> x/255 -> 2x-1 (clean-fid's clean resize with the pytorch-fid network)",
        ResizeKernel.PillowBicubic, FidMean.Float32, MetricRules.TorchFidelity, kidSubsetsFitSets: true);

    internal static PreprocessingProtocol Torchmetrics { get; } = new("torchmetrics",
        "0..255 -> F.interpolate(bilinear, align_corners=False, antialias=True) to 299 -> (x-128)/128 (torchmetrics >= 1.8 default, torch-fidelity network)",
        ResizeKernel.PyTorchAntialiasBilinear, FidMean.Float64, MetricRules.Torchmetrics);

    internal static PreprocessingProtocol TorchmetricsNoAntialias { get; } = new("torchmetrics-no-antialias",
        "torchmetrics with antialias=False: 0..255 -> TF1 resize_bilinear to 299 -> (x-128)/128 (torch-fidelity's preprocessing)",
        ResizeKernel.TensorFlowBilinear, FidMean.Float64, MetricRules.Torchmetrics);

    /// <summary>
    /// Writes the network input for one HWC RGB uint8 image into <paramref name="destination"/>
    /// (3·299·299 floats, CHW).
    /// </summary>
    internal void Prepare(ReadOnlySpan<byte> rgb, int width, int height, Span<float> destination)
    {
        const int size = Networks.FidInceptionV3.InputSize;
        const int plane = size * size;
        int pixels = width * height;
        float[] channel = ArrayPool<float>.Shared.Rent(pixels);
        try
        {
            for (int c = 0; c < 3; c++)
            {
                Span<float> source = channel.AsSpan(0, pixels);
                for (int i = 0; i < pixels; i++)
                {
                    // pytorch-fid's ToTensor divides by 255 before the resize; the others resize 0..255 values.
                    source[i] = _kernel == ResizeKernel.PyTorchBilinear ? rgb[i * 3 + c] / 255f : rgb[i * 3 + c];
                }
                Span<float> target = destination.Slice(c * plane, plane);
                switch (_kernel)
                {
                    case ResizeKernel.PyTorchBilinear:
                        PyTorchBilinearResize.Resize(source, height, width, target, size, size);
                        for (int i = 0; i < plane; i++)
                        {
                            target[i] = 2f * target[i] - 1f;
                        }
                        break;
                    case ResizeKernel.TensorFlowBilinear:
                        TensorFlowBilinearResize.Resize(source, height, width, target, size, size);
                        Centre128(target);
                        break;
                    case ResizeKernel.GridSampleTf1:
                        GridSampleTf1Resize.Resize(source, height, width, target, size, size);
                        Centre128(target);
                        break;
                    case ResizeKernel.PyTorchAntialiasBilinear:
                        PyTorchAntialiasBilinearResize.Resize(source, height, width, target, size, size);
                        for (int i = 0; i < plane; i++)
                        {
                            target[i] = (target[i] - 128f) / 128f;
                        }
                        break;
                    default:
                        PillowBicubicResize.Resize(source, height, width, target, size, size);
                        for (int i = 0; i < plane; i++)
                        {
                            float clipped = Math.Clamp(target[i], 0f, 255f);
                            target[i] = _centred128 ? (clipped - 128f) / 128f : 2f * (clipped / 255f) - 1f;
                        }
                        break;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(channel);
        }
    }

    /// <summary>(x − 128)/128 in float32, as torch-fidelity and NVIDIA's Inception normalise 0..255 input.</summary>
    private static void Centre128(Span<float> values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (values[i] - 128f) / 128f;
        }
    }

    /// <summary>The 'clean' resize alone (0..255, clipped, HWC like clean-fid's resizer output); for parity tests.</summary>
    internal static void CleanResize(ReadOnlySpan<byte> rgb, int width, int height, Span<float> hwc299)
    {
        const int size = Networks.FidInceptionV3.InputSize;
        var source = new float[width * height];
        var target = new float[size * size];
        for (int c = 0; c < 3; c++)
        {
            for (int i = 0; i < source.Length; i++)
            {
                source[i] = rgb[i * 3 + c];
            }
            PillowBicubicResize.Resize(source, height, width, target, size, size);
            for (int i = 0; i < target.Length; i++)
            {
                hwc299[i * 3 + c] = Math.Clamp(target[i], 0f, 255f);
            }
        }
    }

    private enum ResizeKernel
    {
        PyTorchBilinear,
        TensorFlowBilinear,
        PillowBicubic,
        PyTorchAntialiasBilinear,
        GridSampleTf1,
    }
}
