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
    /// clean-fid 'clean' resize: each channel as a float32 Pillow 'F' image resized with BICUBIC (antialiased)
    /// → clip 0..255, then the pytorch-fid network normalisation x/255 → 2x − 1, as in the clean-fid goldens
    /// (<c>feature_extractor(name='pytorch_inception')</c>).
    /// </summary>
    public static PreprocessingProtocol Clean => PreprocessingProtocol.Clean;

    /// <summary>
    /// ADM evaluator (guided-diffusion <c>evaluations/evaluator.py</c>): uint8 batches fed at native size, the graph's
    /// TF1 bilinear resize to 299 and (x − 128)/128 (the torch-fidelity preprocessing); FID and sFID with float32 μ,
    /// ADM's Inception Score rule (5000-row splits, no shuffle) and precision/recall (squared float32 distances).
    /// </summary>
    public static PreprocessingProtocol Adm => PreprocessingProtocol.Adm;

    /// <summary>All protocols.</summary>
    public static IReadOnlyList<PreprocessingProtocol> All { get; } = [PytorchFid, TorchFidelity, Clean, Adm];

    /// <summary>The protocol called <paramref name="name"/>, or null.</summary>
    public static PreprocessingProtocol? Find(string name) => All.FirstOrDefault(p => p.Name == name);
}
