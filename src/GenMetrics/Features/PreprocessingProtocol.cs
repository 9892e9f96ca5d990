using System.Buffers;
using GenMetrics.Imaging;

namespace GenMetrics.Features;

/// <summary>
/// How decoded RGB bytes become the 3×299×299 float32 input of the FID Inception-v3: the resize kernel and the
/// value mapping of one reference tool. The protocol's <see cref="Name"/> is recorded with every output.
/// Instances are the members of <see cref="KnownProtocols"/>.
/// </summary>
public sealed class PreprocessingProtocol
{
    private readonly ResizeKernel _kernel;

    private PreprocessingProtocol(string name, string description, ResizeKernel kernel)
    {
        Name = name;
        Description = description;
        _kernel = kernel;
    }

    /// <summary>Command-line and provenance name: pytorch-fid, torch-fidelity, clean or adm.</summary>
    public string Name { get; }

    /// <summary>One line saying what the protocol computes.</summary>
    public string Description { get; }

    /// <inheritdoc/>
    public override string ToString() => Name;

    internal static PreprocessingProtocol PytorchFid { get; } = new("pytorch-fid",
        "x/255 -> F.interpolate(bilinear, align_corners=False, no antialias) to 299 -> 2x-1", ResizeKernel.PyTorchBilinear);

    internal static PreprocessingProtocol TorchFidelity { get; } = new("torch-fidelity",
        "0..255 -> TF1 resize_bilinear (no half-pixel) to 299 -> (x-128)/128", ResizeKernel.TensorFlowBilinear);

    internal static PreprocessingProtocol Adm { get; } = new("adm",
        "uint8 arr_0 at native size -> float 0..255 -> TF1 resize_bilinear (no half-pixel) to 299 -> (x-128)/128 (ADM evaluator's graph)",
        ResizeKernel.TensorFlowBilinear);

    internal static PreprocessingProtocol Clean { get; } = new("clean",
        "0..255 -> per-channel Pillow BICUBIC 'F' resize to 299 -> clip 0..255 -> x/255 -> 2x-1 (clean-fid with the pytorch-fid network)",
        ResizeKernel.PillowBicubic);

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
                            target[i] = 2f * (clipped / 255f) - 1f;
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
    }
}
