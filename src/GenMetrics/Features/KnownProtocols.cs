using System.Diagnostics.CodeAnalysis;

namespace GenMetrics.Features;

/// <summary>The preprocessing protocols of the reference tools (see docs/features.md and REFERENCES.md §2.2–2.3).</summary>
public static class KnownProtocols
{
    /// <summary>
    /// pytorch-fid: uint8 → x/255 (float32) → <c>F.interpolate(bilinear, align_corners=False)</c> to 299 with
    /// half-pixel centres and no antialias → 2x − 1.
    /// </summary>
    public static PreprocessingProtocol PytorchFid => PreprocessingProtocol.PytorchFid;

    /// <summary>
    /// torch-fidelity (the original TF FID convention): uint8 → float 0..255 → TF1 legacy bilinear resize to 299
    /// (src = i·in/out in float32, no half-pixel offset) → (x − 128)/128.
    /// </summary>
    public static PreprocessingProtocol TorchFidelity => PreprocessingProtocol.TorchFidelity;

    /// <summary>
    /// clean-fid's default, <c>mode="clean"</c>: each channel as a float32 Pillow 'F' image resized with BICUBIC
    /// (antialiased) → clip 0..255 → (x − 128)/128 → NVIDIA's TorchScript Inception (<c>inception-2015-12-05.pt</c>,
    /// its <c>.layers</c>); KID subsets of min(n_real, n_fake, 1000).
    /// </summary>
    public static PreprocessingProtocol Clean => PreprocessingProtocol.Clean;

    /// <summary>
    /// torchmetrics (≥ 1.8) <c>FrechetInceptionDistance</c>, <c>KernelInceptionDistance</c>, <c>InceptionScore</c>
    /// with their default <c>antialias=True</c>: uint8 → float 0..255 → <c>F.interpolate(bilinear,
    /// align_corners=False, antialias=True)</c> to 299 → (x − 128)/128 → torch-fidelity's Inception. FID uses the
    /// float64 mean and the N−1 covariance of float64 running sums; KID and IS use torchmetrics' subset and
    /// split rules with torch's CPU <c>randperm</c> (the seed is the <c>torch.manual_seed</c> before <c>compute()</c>).
    /// Image files are uint8 already, so torchmetrics' <c>normalize=True</c> truncation <c>(x·255).byte()</c>
    /// does not arise; for float images in 0..1 see <see cref="Imaging.UnitFloatPixels"/>.
    /// </summary>
    public static PreprocessingProtocol Torchmetrics => PreprocessingProtocol.Torchmetrics;

    /// <summary>
    /// torchmetrics with <c>antialias=False</c>: torch-fidelity's TF1 bilinear resize and (x − 128)/128 (the same
    /// features as <see cref="TorchFidelity"/>), with torchmetrics' FID, KID and IS rules.
    /// </summary>
    public static PreprocessingProtocol TorchmetricsNoAntialias => PreprocessingProtocol.TorchmetricsNoAntialias;

    /// <summary>The torchmetrics protocol with <c>antialias</c> on (the default) or off.</summary>
    public static PreprocessingProtocol TorchmetricsWith(bool antialias) => antialias ? Torchmetrics : TorchmetricsNoAntialias;

    /// <summary>
    /// clean-fid <c>mode="legacy_tensorflow"</c>: NVIDIA's TorchScript Inception with its own forward: the image
    /// (0..255, any size) resized by <c>affine_grid</c>/<c>grid_sample</c> bilinear with TF1 alignment
    /// (src = j·in/299, border) → (x − 128)/128; KID subsets of min(n_real, n_fake, 1000).
    /// </summary>
    public static PreprocessingProtocol CleanLegacyTensorFlow => PreprocessingProtocol.CleanLegacyTensorFlow;

    /// <summary>
    /// clean-fid's 'clean' resize on the pytorch-fid network (<c>feature_extractor(name='pytorch_inception')</c>):
    /// Pillow BICUBIC 'F' per channel → clip 0..255 → x/255 → 2x − 1; KID subsets of min(n_real, n_fake, 1000).
    /// </summary>
    public static PreprocessingProtocol CleanPytorchInception => PreprocessingProtocol.CleanPytorchInception;

    /// <summary>
    /// ADM evaluator (guided-diffusion <c>evaluations/evaluator.py</c>): uint8 batches fed at native size, the graph's
    /// TF1 bilinear resize to 299 and (x − 128)/128 (the torch-fidelity preprocessing); FID and sFID with float32 μ,
    /// ADM's Inception Score rule (5000-row splits, no shuffle) and precision/recall (squared float32 distances).
    /// </summary>
    public static PreprocessingProtocol Adm => PreprocessingProtocol.Adm;

    /// <summary>All protocols.</summary>
    public static IReadOnlyList<PreprocessingProtocol> All { get; } = [PytorchFid, TorchFidelity, Clean, CleanLegacyTensorFlow, CleanPytorchInception, Torchmetrics, TorchmetricsNoAntialias, Adm];

    /// <summary>Finds the protocol whose <see cref="PreprocessingProtocol.Name"/> is <paramref name="name"/> (ignoring case).</summary>
    /// <returns>Whether there is one.</returns>
    public static bool TryGet(string? name, [NotNullWhen(true)] out PreprocessingProtocol? protocol)
    {
        protocol = All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        return protocol is not null;
    }

    /// <summary>The protocol whose <see cref="PreprocessingProtocol.Name"/> is <paramref name="name"/>, as a user typed it.</summary>
    /// <exception cref="GenMetricsException"><paramref name="name"/> names no protocol (the message lists them).</exception>
    public static PreprocessingProtocol Parse(string name) =>
        TryGet(name, out var protocol) ? protocol
            : throw new GenMetricsException($"unknown protocol '{name}'; use one of {string.Join(", ", All.Select(p => p.Name))}");
}
