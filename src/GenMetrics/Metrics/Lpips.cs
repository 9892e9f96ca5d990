using System.Buffers;
using GenMetrics.Checkpoints;
using GenMetrics.Imaging;
using GenMetrics.Networks;
using GenMetrics.Onnx;

namespace GenMetrics.Metrics;

/// <summary>
/// LPIPS v0.1 perceptual distance (Zhang et al. 2018) exactly as <c>lpips.LPIPS(net, version='0.1')</c> of
/// PerceptualSimilarity computes it, on in-memory <see cref="RgbImage"/> pairs, with an AlexNet, VGG16 or
/// SqueezeNet 1.1 trunk run by ONNX Runtime.
/// </summary>
/// <remarks>
/// <para>Formula: inputs <c>x = k/127.5 − 1</c> (<c>lpips.im2tensor</c>) → ScalingLayer <c>(x − shift)/scale</c> →
/// trunk taps f_l → <c>f̂ = f/(‖f‖₂ + 1e-10)</c> over channels → <c>d = Σ_l mean_hw(w_l · (f̂₀ − f̂₁)²)</c> with the
/// published v0.1 lin weights w_l (embedded). The spatial map upsamples each layer's map bilinearly
/// (align_corners=False) to the input size and sums them. Images are never resized; both images of a pair must
/// have the same size, at least <see cref="MinimumInputSize"/> pixels on each side.</para>
/// <para>Tolerance: every fixture pair within 1e-5 absolute of the reference for all three trunks (float32
/// network; see docs/lpips.md for the measured residuals), spatial maps within 1e-5.</para>
/// <para>Thread safety: <see cref="Compute(IReadOnlyList{ValueTuple{RgbImage, RgbImage}}, bool)"/> and
/// <see cref="Distance"/> may be called from several threads at once (each call uses its own buffers; ONNX
/// Runtime sessions are thread-safe). <see cref="Dispose"/> must not race with a running call. Results do not
/// depend on the batch size or thread count.</para>
/// </remarks>
public sealed class Lpips : IDisposable
{
    /// <summary>Pixels per batch and image (16 pairs of 256×256): larger pairs run in smaller batches.</summary>
    private const long PixelsPerBatch = 16L * 256 * 256;

    private readonly LpipsTrunk _trunk;
    private readonly OnnxModelSession _session;
    private readonly string[] _outputs;
    private readonly string[] _spatialOutputs;
    private bool _disposed;

    /// <summary>Builds the network for <paramref name="options"/> (defaults: AlexNet, batch 16, CPU).</summary>
    /// <exception cref="GenMetricsException">The trunk weights are missing, unreadable or do not fit the architecture.</exception>
    public Lpips(LpipsOptions? options = null, IProgress<WorkProgress>? progress = null)
    {
        Options = options ?? new LpipsOptions();
        if (Options.BatchSize < 1) throw new GenMetricsException($"LPIPS batch size must be at least 1, got {Options.BatchSize}");
        _trunk = LpipsTrunks.For(Options.Network);
        StateDict trunkWeights = LpipsBackboneWeights.Load(_trunk, Options.BackboneWeightsPath, progress);
        float[][] lin = LpipsLinearHeads.Load(_trunk);
        var settings = new OnnxSessionSettings(Options.Device, Options.Threads, DeviceId: Options.DeviceId);
        BackboneWeightsPath = trunkWeights.SourcePath;
        string description = $"LPIPS-{_trunk.Name} ({trunkWeights.SourcePath})";
        _session = new OnnxModelSession(LpipsGraph.Build(_trunk, trunkWeights, lin), settings, description);
        _outputs = [LpipsGraph.DistanceOutput, .. Enumerable.Range(0, _trunk.TapChannels.Count).Select(LpipsGraph.LayerOutput)];
        _spatialOutputs = [.. _outputs, .. Enumerable.Range(0, _trunk.TapChannels.Count).Select(LpipsGraph.MapOutput)];
    }

    /// <summary>The options this instance was built with.</summary>
    public LpipsOptions Options { get; }

    /// <summary>The file the trunk weights were read from.</summary>
    public string BackboneWeightsPath { get; }

    /// <summary>The trunk.</summary>
    public LpipsNetwork Network => Options.Network;

    /// <summary>Smallest image side the trunk accepts (alex 31, vgg 16, squeeze 17), as PyTorch would.</summary>
    public int MinimumInputSize => _trunk.MinimumInputSize;

    /// <summary>Number of layer terms (5, or 7 for SqueezeNet).</summary>
    public int LayerCount => _trunk.TapChannels.Count;

    /// <summary>The distance of one pair.</summary>
    public float Distance(RgbImage reference, RgbImage distorted) => Compute([(reference, distorted)])[0].Value;

    /// <summary>
    /// Distances of <paramref name="pairs"/>, in order. Pairs of equal size run together in batches of at most
    /// <see cref="LpipsOptions.BatchSize"/> (fewer for large images).
    /// </summary>
    /// <param name="pairs">(reference, distorted) images; the two of a pair must have the same size.</param>
    /// <param name="spatial">Also compute each pair's spatial map (<c>spatial=True</c>).</param>
    /// <exception cref="GenMetricsException">A pair differs in size or is smaller than <see cref="MinimumInputSize"/>.</exception>
    public IReadOnlyList<LpipsDistance> Compute(IReadOnlyList<(RgbImage Reference, RgbImage Distorted)> pairs, bool spatial = false)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ObjectDisposedException.ThrowIf(_disposed, this);
        for (int i = 0; i < pairs.Count; i++)
        {
            CheckPair(pairs[i].Reference, pairs[i].Distorted, $"pair {i}");
        }
        var results = new LpipsDistance[pairs.Count];
        foreach (var group in pairs.Select((pair, index) => (pair, index)).GroupBy(p => (p.pair.Reference.Width, p.pair.Reference.Height)))
        {
            var (width, height) = group.Key;
            int batch = (int)Math.Clamp(PixelsPerBatch / ((long)width * height), 1, Options.BatchSize);
            foreach (var chunk in group.Chunk(batch))
            {
                var computed = RunBatch([.. chunk.Select(c => c.pair)], width, height, spatial);
                for (int j = 0; j < chunk.Length; j++) results[chunk[j].index] = computed[j];
            }
        }
        return results;
    }

    /// <summary>
    /// Checks that a pair can be measured: same size, and at least <see cref="MinimumInputSize"/> on each side.
    /// <paramref name="description"/> names the pair in the message (e.g. the two file names).
    /// </summary>
    /// <exception cref="GenMetricsException">With a one-line message naming the pair and the fix.</exception>
    public void CheckPair(RgbImage reference, RgbImage distorted, string description)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(distorted);
        if (reference.Width != distorted.Width || reference.Height != distorted.Height)
        {
            throw new GenMetricsException($"{description}: the images differ in size ({reference.Width}x{reference.Height} vs {distorted.Width}x{distorted.Height}); LPIPS compares images of the same size and does not resize, so crop or resize one of them first");
        }
        int min = MinimumInputSize;
        if (reference.Width < min || reference.Height < min)
        {
            int side = Math.Min(reference.Width, reference.Height);
            string[] fitting = [.. Enum.GetValues<LpipsNetwork>().Select(LpipsTrunks.For).Where(t => t.MinimumInputSize <= side).Select(t => t.Name)];
            string fix = fitting.Length > 0 ? $"use larger images or LpipsOptions.Network {string.Join(" / ", fitting)}" : "use larger images";
            throw new GenMetricsException($"{description}: {reference.Width}x{reference.Height} is too small for LPIPS-{_trunk.Name} ({_trunk.ArchitectureName} needs at least {min}x{min} pixels); {fix}") { ParameterName = fitting.Length > 0 ? nameof(LpipsOptions.Network) : null };
        }
    }

    /// <summary>Releases the native sessions.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _session.Dispose();
    }

    private LpipsDistance[] RunBatch(IReadOnlyList<(RgbImage Reference, RgbImage Distorted)> pairs, int width, int height, bool spatial)
    {
        int n = pairs.Count;
        int imageValues = 3 * width * height;
        float[] in0 = ArrayPool<float>.Shared.Rent(n * imageValues);
        float[] in1 = ArrayPool<float>.Shared.Rent(n * imageValues);
        try
        {
            for (int i = 0; i < n; i++)
            {
                LpipsInputTensor.Write(pairs[i].Reference, in0.AsSpan(i * imageValues, imageValues));
                LpipsInputTensor.Write(pairs[i].Distorted, in1.AsSpan(i * imageValues, imageValues));
            }
            long[] shape = [n, 3, height, width];
            OnnxTensor[] outputs = _session.Run(
                [new OnnxTensor(LpipsGraph.ReferenceInput, in0, shape), new OnnxTensor(LpipsGraph.DistortedInput, in1, shape)],
                spatial ? _spatialOutputs : _outputs);
            var results = new LpipsDistance[n];
            for (int i = 0; i < n; i++)
            {
                var layers = new float[LayerCount];
                for (int l = 0; l < layers.Length; l++) layers[l] = outputs[1 + l].Data[i];
                float[]? map = spatial ? SpatialMap(outputs.AsSpan(1 + LayerCount), i, width, height) : null;
                results[i] = new LpipsDistance(outputs[0].Data[i], layers, map, width, height);
            }
            return results;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(in0);
            ArrayPool<float>.Shared.Return(in1);
        }
    }

    /// <summary>
    /// <c>spatial=True</c>: each layer's lin map of batch item <paramref name="item"/> upsampled to H×W with
    /// <c>nn.Upsample(size=(H, W), mode='bilinear', align_corners=False)</c> arithmetic, then
    /// <c>val = res[0]; val += res[l]</c> in layer order (float32).
    /// </summary>
    private static float[] SpatialMap(ReadOnlySpan<OnnxTensor> maps, int item, int width, int height)
    {
        var sum = new float[width * height];
        float[] upsampled = ArrayPool<float>.Shared.Rent(sum.Length);
        try
        {
            for (int l = 0; l < maps.Length; l++)
            {
                int h = (int)maps[l].Shape[2];
                int w = (int)maps[l].Shape[3];
                ReadOnlySpan<float> map = maps[l].Data.AsSpan(item * h * w, h * w);
                PyTorchBilinearResize.Resize(map, h, w, l == 0 ? sum : upsampled, height, width);
                if (l == 0) continue;
                for (int k = 0; k < sum.Length; k++) sum[k] += upsampled[k];
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(upsampled);
        }
        return sum;
    }
}
