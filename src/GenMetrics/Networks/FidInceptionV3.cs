using GenMetrics.Onnx;

namespace GenMetrics.Networks;

/// <summary>
/// pytorch-fid's <c>fid_inception_v3()</c> as an ONNX graph: torchvision Inception3 (num_classes 1008, no aux
/// logits) with FIDInceptionA/C/E_1/E_2 blocks: average pools with count_include_pad=False, a max pool in
/// Mixed_7c's pool branch, BatchNorm eps 1e-3, convolutions without bias. Input "image" is N×3×299×299,
/// already normalised by the preprocessing protocol. Only the requested outputs (and what they depend on)
/// are kept in the graph.
/// </summary>
internal sealed class FidInceptionV3
{
    /// <summary>Graph input name.</summary>
    public const string InputName = "image";

    /// <summary>Network input side.</summary>
    public const int InputSize = 299;

    private const float BatchNormEpsilon = 1e-3f;

    /// <summary>Channels of Mixed_6d.branch1x1 that ADM's sFID keeps (<c>spatial[..., :7]</c>).</summary>
    public const int SpatialChannels = 7;

    /// <summary>Side of the 17×17 Mixed_6 maps.</summary>
    public const int SpatialSide = 17;

    /// <summary>sFID feature length: 17·17·7 = 2023.</summary>
    public const int SpatialDimensions = SpatialSide * SpatialSide * SpatialChannels;

    private readonly OnnxGraphBuilder? _graph;
    private readonly Func<string, float[]>? _weights;
    private readonly List<(string Name, int[] Shape)> _expected = [];
    private readonly List<(string Prefix, int Stride, int PadH, int PadW)> _convolutions = [];

    private FidInceptionV3(OnnxGraphBuilder? graph, Func<string, float[]>? weights)
    {
        _graph = graph;
        _weights = weights;
    }

    /// <summary>
    /// Every float tensor of the state dict with its shape, in <c>state_dict()</c> order (num_batches_tracked
    /// is optional and not listed).
    /// </summary>
    public static IReadOnlyList<(string Name, int[] Shape)> ExpectedTensors()
    {
        var description = new FidInceptionV3(null, null);
        description.Describe();
        return description._expected;
    }

    /// <summary>Every convolution's state-dict prefix (<c>Mixed_5b.branch1x1</c>) with its stride and padding, in graph order.</summary>
    public static IReadOnlyList<(string Prefix, int Stride, int PadH, int PadW)> Convolutions()
    {
        var description = new FidInceptionV3(null, null);
        description.Describe();
        return description._convolutions;
    }

    /// <summary>The graph output name of <paramref name="layer"/>.</summary>
    public static string OutputName(FidInceptionLayer layer) => FidInceptionLayerNames.NameOf(layer);

    /// <summary>
    /// Builds the ONNX model. <paramref name="weights"/> returns the float32 values of a state-dict key
    /// (already validated against <see cref="ExpectedTensors"/>).
    /// </summary>
    public static byte[] BuildModel(Func<string, float[]> weights, IReadOnlyCollection<FidInceptionLayer> outputs)
    {
        var graph = new OnnxGraphBuilder("fid_inception_v3");
        var network = new FidInceptionV3(graph, weights);
        var values = network.Describe();
        foreach (FidInceptionLayer layer in outputs.Distinct())
        {
            graph.AddOutput(values[layer], OutputName(layer));
        }
        return graph.ToModelBytes();
    }

    private Dictionary<FidInceptionLayer, string> Describe()
    {
        var outputs = new Dictionary<FidInceptionLayer, string>();
        string x = _graph?.AddInput(InputName, "batch", "3", "299", "299") ?? InputName;
        x = BasicConv(x, "Conv2d_1a_3x3", 3, 32, 3, 3, stride: 2);
        x = BasicConv(x, "Conv2d_2a_3x3", 32, 32, 3, 3);
        x = BasicConv(x, "Conv2d_2b_3x3", 32, 64, 3, 3, padH: 1, padW: 1);
        x = MaxPool(x, 3, 2, 0);
        outputs[FidInceptionLayer.Block64] = GlobalMean(x);
        x = BasicConv(x, "Conv2d_3b_1x1", 64, 80, 1, 1);
        x = BasicConv(x, "Conv2d_4a_3x3", 80, 192, 3, 3);
        x = MaxPool(x, 3, 2, 0);
        outputs[FidInceptionLayer.Block192] = GlobalMean(x);
        x = InceptionA(x, "Mixed_5b", 192, 32);
        x = InceptionA(x, "Mixed_5c", 256, 64);
        x = InceptionA(x, "Mixed_5d", 288, 64);
        x = InceptionB(x, "Mixed_6a", 288);
        x = InceptionC(x, "Mixed_6b", 768, 128);
        x = InceptionC(x, "Mixed_6c", 768, 160);
        x = InceptionC(x, "Mixed_6d", 768, 160, out string mixed6dBranch1x1);
        outputs[FidInceptionLayer.Spatial] = SpatialFeatures(mixed6dBranch1x1);
        x = InceptionC(x, "Mixed_6e", 768, 192);
        outputs[FidInceptionLayer.Block768] = GlobalMean(x);
        x = InceptionD(x, "Mixed_7a", 768);
        x = InceptionE(x, "Mixed_7b", 1280, maxPoolBranch: false);
        x = InceptionE(x, "Mixed_7c", 2048, maxPoolBranch: true);
        string pool3 = GlobalMean(x);
        outputs[FidInceptionLayer.Pool3] = pool3;
        string fcWeight = Initializer("fc.weight", 1008, 2048);
        string fcBias = Initializer("fc.bias", 1008);
        if (_graph is not null)
        {
            // torch-fidelity: logits_unbiased = pool3.mm(fc.weight.T); logits = logits_unbiased + fc.bias.
            string unbiased = _graph.Gemm(pool3, fcWeight, null, transposeB: true);
            outputs[FidInceptionLayer.LogitsUnbiased] = unbiased;
            outputs[FidInceptionLayer.Logits] = _graph.Add(unbiased, fcBias);
        }
        return outputs;
    }

    // ------------------------------------------------------------------ blocks

    private string InceptionA(string x, string name, int inChannels, int poolFeatures)
    {
        string b1 = BasicConv(x, $"{name}.branch1x1", inChannels, 64, 1, 1);
        string b5 = BasicConv(x, $"{name}.branch5x5_1", inChannels, 48, 1, 1);
        b5 = BasicConv(b5, $"{name}.branch5x5_2", 48, 64, 5, 5, padH: 2, padW: 2);
        string b3 = BasicConv(x, $"{name}.branch3x3dbl_1", inChannels, 64, 1, 1);
        b3 = BasicConv(b3, $"{name}.branch3x3dbl_2", 64, 96, 3, 3, padH: 1, padW: 1);
        b3 = BasicConv(b3, $"{name}.branch3x3dbl_3", 96, 96, 3, 3, padH: 1, padW: 1);
        string pool = BasicConv(AveragePoolExcludingPad(x), $"{name}.branch_pool", inChannels, poolFeatures, 1, 1);
        return Concat(b1, b5, b3, pool);
    }

    private string InceptionB(string x, string name, int inChannels)
    {
        string b3 = BasicConv(x, $"{name}.branch3x3", inChannels, 384, 3, 3, stride: 2);
        string d = BasicConv(x, $"{name}.branch3x3dbl_1", inChannels, 64, 1, 1);
        d = BasicConv(d, $"{name}.branch3x3dbl_2", 64, 96, 3, 3, padH: 1, padW: 1);
        d = BasicConv(d, $"{name}.branch3x3dbl_3", 96, 96, 3, 3, stride: 2);
        return Concat(b3, d, MaxPool(x, 3, 2, 0));
    }

    private string InceptionC(string x, string name, int inChannels, int c7) => InceptionC(x, name, inChannels, c7, out _);

    /// <summary>InceptionC; <paramref name="branch1x1"/> is its 1×1 branch after the ReLU (ADM's sFID tap in Mixed_6d).</summary>
    private string InceptionC(string x, string name, int inChannels, int c7, out string branch1x1)
    {
        string b1 = BasicConv(x, $"{name}.branch1x1", inChannels, 192, 1, 1);
        branch1x1 = b1;
        string b7 = BasicConv(x, $"{name}.branch7x7_1", inChannels, c7, 1, 1);
        b7 = BasicConv(b7, $"{name}.branch7x7_2", c7, c7, 1, 7, padW: 3);
        b7 = BasicConv(b7, $"{name}.branch7x7_3", c7, 192, 7, 1, padH: 3);
        string d = BasicConv(x, $"{name}.branch7x7dbl_1", inChannels, c7, 1, 1);
        d = BasicConv(d, $"{name}.branch7x7dbl_2", c7, c7, 7, 1, padH: 3);
        d = BasicConv(d, $"{name}.branch7x7dbl_3", c7, c7, 1, 7, padW: 3);
        d = BasicConv(d, $"{name}.branch7x7dbl_4", c7, c7, 7, 1, padH: 3);
        d = BasicConv(d, $"{name}.branch7x7dbl_5", c7, 192, 1, 7, padW: 3);
        string pool = BasicConv(AveragePoolExcludingPad(x), $"{name}.branch_pool", inChannels, 192, 1, 1);
        return Concat(b1, b7, d, pool);
    }

    private string InceptionD(string x, string name, int inChannels)
    {
        string b3 = BasicConv(x, $"{name}.branch3x3_1", inChannels, 192, 1, 1);
        b3 = BasicConv(b3, $"{name}.branch3x3_2", 192, 320, 3, 3, stride: 2);
        string b7 = BasicConv(x, $"{name}.branch7x7x3_1", inChannels, 192, 1, 1);
        b7 = BasicConv(b7, $"{name}.branch7x7x3_2", 192, 192, 1, 7, padW: 3);
        b7 = BasicConv(b7, $"{name}.branch7x7x3_3", 192, 192, 7, 1, padH: 3);
        b7 = BasicConv(b7, $"{name}.branch7x7x3_4", 192, 192, 3, 3, stride: 2);
        return Concat(b3, b7, MaxPool(x, 3, 2, 0));
    }

    /// <summary>FIDInceptionE_1 (average pool branch) or FIDInceptionE_2 (max pool branch).</summary>
    private string InceptionE(string x, string name, int inChannels, bool maxPoolBranch)
    {
        string b1 = BasicConv(x, $"{name}.branch1x1", inChannels, 320, 1, 1);
        string b3 = BasicConv(x, $"{name}.branch3x3_1", inChannels, 384, 1, 1);
        b3 = Concat(
            BasicConv(b3, $"{name}.branch3x3_2a", 384, 384, 1, 3, padW: 1),
            BasicConv(b3, $"{name}.branch3x3_2b", 384, 384, 3, 1, padH: 1));
        string d = BasicConv(x, $"{name}.branch3x3dbl_1", inChannels, 448, 1, 1);
        d = BasicConv(d, $"{name}.branch3x3dbl_2", 448, 384, 3, 3, padH: 1, padW: 1);
        d = Concat(
            BasicConv(d, $"{name}.branch3x3dbl_3a", 384, 384, 1, 3, padW: 1),
            BasicConv(d, $"{name}.branch3x3dbl_3b", 384, 384, 3, 1, padH: 1));
        string pooled = maxPoolBranch ? MaxPool(x, 3, 1, 1) : AveragePoolExcludingPad(x);
        string pool = BasicConv(pooled, $"{name}.branch_pool", inChannels, 192, 1, 1);
        return Concat(b1, b3, d, pool);
    }

    // ------------------------------------------------------------------ layers

    /// <summary>torchvision BasicConv2d: conv (no bias) → BatchNorm(eps 1e-3) → ReLU.</summary>
    private string BasicConv(string x, string name, int inChannels, int outChannels, int kernelH, int kernelW,
        int stride = 1, int padH = 0, int padW = 0)
    {
        _convolutions.Add((name, stride, padH, padW));
        string weight = Initializer($"{name}.conv.weight", outChannels, inChannels, kernelH, kernelW);
        string gamma = Initializer($"{name}.bn.weight", outChannels);
        string beta = Initializer($"{name}.bn.bias", outChannels);
        string mean = Initializer($"{name}.bn.running_mean", outChannels);
        string variance = Initializer($"{name}.bn.running_var", outChannels);
        if (_graph is null)
        {
            return x;
        }
        string conv = _graph.Conv(x, weight, null, kernel: [kernelH, kernelW], strides: [stride, stride],
            pads: [padH, padW, padH, padW]);
        return _graph.Relu(_graph.BatchNormalization(conv, gamma, beta, mean, variance, BatchNormEpsilon));
    }

    private string Initializer(string name, params int[] shape)
    {
        _expected.Add((name, shape));
        if (_graph is null)
        {
            return name;
        }
        return _graph.AddInitializer(name, _weights!(name), Array.ConvertAll(shape, d => (long)d));
    }

    private string MaxPool(string x, int kernel, int stride, int pad) =>
        _graph?.MaxPool(x, [kernel, kernel], [stride, stride], [pad, pad, pad, pad]) ?? x;

    /// <summary>avg_pool2d(3, stride 1, padding 1, count_include_pad=False).</summary>
    private string AveragePoolExcludingPad(string x) =>
        _graph?.AveragePool(x, [3, 3], [1, 1], [1, 1, 1, 1], countIncludePad: false) ?? x;

    private string Concat(params string[] inputs) => _graph?.Concat(1, inputs) ?? inputs[0];

    /// <summary>
    /// ADM's sFID features: the first 7 channels of an N×192×17×17 map, moved to NHWC and flattened to N×2023
    /// (the TF graph's <c>mixed_6/conv:0[..., :7]</c> reshaped; an NCHW flatten would permute the 2023 values).
    /// </summary>
    private string SpatialFeatures(string map)
    {
        if (_graph is null) return map;
        string firstChannels = _graph.Slice(map, [0], [SpatialChannels], [1]);
        return _graph.Flatten(_graph.Transpose(firstChannels, 0, 2, 3, 1));
    }

    /// <summary>adaptive_avg_pool2d(1) then flatten: N×C×H×W → N×C.</summary>
    private string GlobalMean(string x) => _graph is null ? x : _graph.Flatten(_graph.GlobalAveragePool(x));
}
