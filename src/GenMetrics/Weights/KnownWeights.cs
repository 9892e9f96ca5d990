namespace GenMetrics.Weights;

/// <summary>The weights files GenMetrics uses, with their published addresses (REFERENCES.md §2.4, §2.11).</summary>
public static class KnownWeights
{
    private const string TorchvisionModels = "https://download.pytorch.org/models/";
    private const string LpipsWeights = "https://github.com/richzhang/PerceptualSimilarity/raw/master/lpips/weights/v0.1/";

    /// <summary>
    /// The FID Inception-v3 (TF 2015-12-05 graph ported to PyTorch) used by pytorch-fid, torch-fidelity and
    /// clean-fid's legacy modes. torch-fidelity caches the same file as <c>weights-inception-2015-12-05-6726825d.pth</c>.
    /// </summary>
    public static KnownWeight FidInceptionV3 { get; } = new(
        "fid-inception-v3",
        "pt_inception-2015-12-05-6726825d.pth",
        new Uri("https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/pt_inception-2015-12-05-6726825d.pth"),
        "FID Inception-v3 (pytorch-fid / torch-fidelity / clean-fid legacy)",
        alternateFileNames: ["weights-inception-2015-12-05-6726825d.pth"]);

    /// <summary>
    /// NVIDIA's TorchScript Inception-v3 (<c>inception-2015-12-05.pt</c>, from StyleGAN2-ADA; used by clean-fid's
    /// 'clean' and 'legacy_tensorflow' modes, StyleGAN3, EDM). Address from clean-fid's <c>downloads_helper.py</c>;
    /// clean-fid publishes no hash and the name has no torch.hub hash group, so no hash is checked.
    /// </summary>
    public static KnownWeight NvidiaInception { get; } = new(
        "nvidia-inception-torchscript",
        "inception-2015-12-05.pt",
        new Uri("https://nvlabs-fi-cdn.nvidia.com/stylegan2-ada-pytorch/pretrained/metrics/inception-2015-12-05.pt"),
        "NVIDIA TorchScript Inception-v3 (clean-fid clean / legacy_tensorflow, StyleGAN2-ADA)",
        sha256Prefix: "");

    /// <summary>torchvision AlexNet ImageNet weights (LPIPS-alex backbone).</summary>
    public static KnownWeight AlexNet { get; } = Torchvision("alexnet", "alexnet-owt-7be5be79.pth", "torchvision AlexNet (LPIPS alex backbone)");

    /// <summary>torchvision VGG16 ImageNet weights (LPIPS-vgg backbone).</summary>
    public static KnownWeight Vgg16 { get; } = Torchvision("vgg16", "vgg16-397923af.pth", "torchvision VGG16 (LPIPS vgg backbone)");

    /// <summary>torchvision SqueezeNet 1.1 ImageNet weights (LPIPS-squeeze backbone).</summary>
    public static KnownWeight SqueezeNet11 { get; } = Torchvision("squeezenet1_1", "squeezenet1_1-b8a52dc0.pth", "torchvision SqueezeNet 1.1 (LPIPS squeeze backbone)");

    /// <summary>LPIPS v0.1 linear-layer weights for AlexNet (full SHA-256 from REFERENCES.md §2.11).</summary>
    public static KnownWeight LpipsAlexV01 { get; } = Lpips("alex", "df73285e35b22355a2df87cdb6b70b343713b667eddbda73e1977e0c860835c0");

    /// <summary>LPIPS v0.1 linear-layer weights for VGG16.</summary>
    public static KnownWeight LpipsVggV01 { get; } = Lpips("vgg", "a78928a0af1e5f0fcb1f3b9e8f8c3a2a5a3de244d830ad5c1feddc79b8432868");

    /// <summary>LPIPS v0.1 linear-layer weights for SqueezeNet 1.1.</summary>
    public static KnownWeight LpipsSqueezeV01 { get; } = Lpips("squeeze", "4a5350f23600cb79923ce65bb07cbf57dca461329894153e05a1346bd531cf76");

    /// <summary>Every known weights file, in listing order.</summary>
    public static IReadOnlyList<KnownWeight> All { get; } =
        [FidInceptionV3, NvidiaInception, AlexNet, Vgg16, SqueezeNet11, LpipsAlexV01, LpipsVggV01, LpipsSqueezeV01];

    /// <summary>The weights with this <see cref="KnownWeight.Name"/> (case-insensitive), or null.</summary>
    public static KnownWeight? Find(string name) =>
        All.FirstOrDefault(w => string.Equals(w.Name, name, StringComparison.OrdinalIgnoreCase));

    private static KnownWeight Torchvision(string name, string file, string description) =>
        new(name, file, new Uri(TorchvisionModels + file), description);

    private static KnownWeight Lpips(string net, string sha256) =>
        new($"lpips-{net}-v0.1", $"lpips-v0.1-{net}.pth", new Uri(LpipsWeights + net + ".pth"), $"LPIPS v0.1 linear layers for {net}", sha256);
}
