using System.Globalization;
using System.Runtime.InteropServices;

namespace GenMetrics.Onnx;

/// <summary>
/// Builds an ONNX model (opset 17, IR version 8) in memory: float32/int64 initializers, graph inputs with
/// fixed or symbolic dimensions, nodes, named outputs. <see cref="ToModelBytes"/> emits the ModelProto,
/// keeping only the nodes and initializers the declared outputs depend on (so unused branches are never
/// computed). Every helper returns the name of the value it produces.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    /// <summary>The default ONNX operator set the node helpers follow.</summary>
    public const int OpsetVersion = 17;

    private const int FloatType = 1;
    private const int Int64Type = 7;

    private readonly string _graphName;
    private readonly List<Node> _nodes = [];
    private readonly Dictionary<string, Initializer> _initializers = new(StringComparer.Ordinal);
    private readonly List<(string Name, string[] Dimensions)> _inputs = [];
    private readonly List<string> _outputs = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    public OnnxGraphBuilder(string graphName) => _graphName = graphName;

    /// <summary>Number of nodes added so far (before pruning).</summary>
    public int NodeCount => _nodes.Count;

    // ---------------------------------------------------------------- values

    /// <summary>
    /// Declares a float32 graph input. Each dimension is either an integer ("3") or a symbolic name
    /// ("batch", "height").
    /// </summary>
    public string AddInput(string name, params string[] dimensions)
    {
        Claim(name);
        _inputs.Add((name, dimensions));
        return name;
    }

    /// <summary>Adds a float32 constant tensor; <paramref name="data"/> is kept by reference (row-major).</summary>
    public string AddInitializer(string name, float[] data, params long[] shape)
    {
        CheckCount(name, data.Length, shape);
        Claim(name);
        _initializers.Add(name, new Initializer(name, FloatType, shape, data, null));
        return name;
    }

    /// <summary>Adds an int64 constant tensor (shapes, axes, slice bounds).</summary>
    public string AddInt64Initializer(string name, long[] data, params long[] shape)
    {
        CheckCount(name, data.Length, shape);
        Claim(name);
        _initializers.Add(name, new Initializer(name, Int64Type, shape, null, data));
        return name;
    }

    /// <summary>Adds a float32 scalar constant (a 0-d tensor).</summary>
    public string Scalar(float value) => AddInitializer(UniqueName("scalar"), [value]);

    /// <summary>Adds a 1-d int64 constant.</summary>
    public string Int64Vector(params long[] values) => AddInt64Initializer(UniqueName("ints"), values, values.Length);

    /// <summary>Declares <paramref name="value"/> as a graph output called <paramref name="outputName"/>.</summary>
    public string AddOutput(string value, string outputName)
    {
        if (value != outputName)
        {
            AddNode("Identity", [value], [outputName]);
        }
        _outputs.Add(outputName);
        return outputName;
    }

    // ---------------------------------------------------------------- generic node

    /// <summary>Adds a node with explicit output names. Use "" for an omitted optional input.</summary>
    public void AddNode(string opType, string[] inputs, string[] outputs, params OnnxAttribute[] attributes)
    {
        foreach (string output in outputs)
        {
            Claim(output);
        }
        _nodes.Add(new Node(UniqueName(opType), opType, inputs, outputs, attributes));
    }

    /// <summary>Adds a single-output node and returns the generated output name.</summary>
    public string Op(string opType, string[] inputs, params OnnxAttribute[] attributes)
    {
        string output = UniqueName(opType.ToLowerInvariant());
        AddNode(opType, inputs, [output], attributes);
        return output;
    }

    // ---------------------------------------------------------------- convolution and normalisation

    /// <summary>2-D convolution. <paramref name="pads"/> is [top, left, bottom, right].</summary>
    public string Conv(string x, string weight, string? bias, long[] kernel, long[]? strides = null,
        long[]? pads = null, long[]? dilations = null, long group = 1) =>
        Op("Conv", bias is null ? [x, weight] : [x, weight, bias],
            OnnxAttribute.Of("kernel_shape", kernel),
            OnnxAttribute.Of("strides", strides ?? [1, 1]),
            OnnxAttribute.Of("pads", pads ?? [0, 0, 0, 0]),
            OnnxAttribute.Of("dilations", dilations ?? [1, 1]),
            OnnxAttribute.Of("group", group));

    /// <summary>Inference-mode batch normalisation: (x − mean)/√(var + ε)·scale + bias per channel.</summary>
    public string BatchNormalization(string x, string scale, string bias, string mean, string variance, float epsilon) =>
        Op("BatchNormalization", [x, scale, bias, mean, variance], OnnxAttribute.Of("epsilon", epsilon));

    public string Relu(string x) => Op("Relu", [x]);

    // ---------------------------------------------------------------- pooling

    /// <summary>Max pooling; <paramref name="pads"/> is [top, left, bottom, right].</summary>
    public string MaxPool(string x, long[] kernel, long[] strides, long[]? pads = null, bool ceilMode = false) =>
        Op("MaxPool", [x],
            OnnxAttribute.Of("kernel_shape", kernel),
            OnnxAttribute.Of("strides", strides),
            OnnxAttribute.Of("pads", pads ?? [0, 0, 0, 0]),
            OnnxAttribute.Of("ceil_mode", ceilMode ? 1L : 0L));

    /// <summary>Average pooling; count_include_pad as in PyTorch's avg_pool2d.</summary>
    public string AveragePool(string x, long[] kernel, long[] strides, long[]? pads = null, bool countIncludePad = true,
        bool ceilMode = false) =>
        Op("AveragePool", [x],
            OnnxAttribute.Of("kernel_shape", kernel),
            OnnxAttribute.Of("strides", strides),
            OnnxAttribute.Of("pads", pads ?? [0, 0, 0, 0]),
            OnnxAttribute.Of("count_include_pad", countIncludePad ? 1L : 0L),
            OnnxAttribute.Of("ceil_mode", ceilMode ? 1L : 0L));

    /// <summary>Mean over all spatial positions: N×C×H×W → N×C×1×1.</summary>
    public string GlobalAveragePool(string x) => Op("GlobalAveragePool", [x]);

    // ---------------------------------------------------------------- elementwise

    public string Concat(long axis, params string[] inputs) => Op("Concat", inputs, OnnxAttribute.Of("axis", axis));

    public string Add(string a, string b) => Op("Add", [a, b]);

    public string Sub(string a, string b) => Op("Sub", [a, b]);

    public string Mul(string a, string b) => Op("Mul", [a, b]);

    public string Div(string a, string b) => Op("Div", [a, b]);

    public string Sqrt(string x) => Op("Sqrt", [x]);

    public string Pow(string x, string exponent) => Op("Pow", [x, exponent]);

    // ---------------------------------------------------------------- reductions (opset 17 conventions)

    /// <summary>ReduceSum; in opset ≥ 13 the axes are an int64 input tensor.</summary>
    public string ReduceSum(string x, long[] axes, bool keepDims = true) =>
        Op("ReduceSum", [x, Int64Vector(axes)], OnnxAttribute.Of("keepdims", keepDims ? 1L : 0L));

    /// <summary>ReduceMean; in opset 17 the axes are still an attribute.</summary>
    public string ReduceMean(string x, long[] axes, bool keepDims = true) =>
        Op("ReduceMean", [x], OnnxAttribute.Of("axes", axes), OnnxAttribute.Of("keepdims", keepDims ? 1L : 0L));

    // ---------------------------------------------------------------- linear algebra and shapes

    public string MatMul(string a, string b) => Op("MatMul", [a, b]);

    /// <summary>Gemm: α·A·op(B) + β·C with op(B) = Bᵀ when <paramref name="transposeB"/>.</summary>
    public string Gemm(string a, string b, string? c, bool transposeB = true) =>
        Op("Gemm", c is null ? [a, b] : [a, b, c], OnnxAttribute.Of("transB", transposeB ? 1L : 0L));

    public string Flatten(string x, long axis = 1) => Op("Flatten", [x], OnnxAttribute.Of("axis", axis));

    /// <summary>Reshape to a constant shape (0 copies a dimension, −1 infers one).</summary>
    public string Reshape(string x, params long[] shape) => Op("Reshape", [x, Int64Vector(shape)]);

    public string Transpose(string x, params long[] permutation) => Op("Transpose", [x], OnnxAttribute.Of("perm", permutation));

    /// <summary>Slice with constant starts/ends/axes (steps 1).</summary>
    public string Slice(string x, long[] starts, long[] ends, long[] axes) =>
        Op("Slice", [x, Int64Vector(starts), Int64Vector(ends), Int64Vector(axes)]);

    /// <summary>
    /// Resize to a size given by the int64 value <paramref name="sizes"/> (full N,C,H,W shape).
    /// <paramref name="coordinateMode"/>: "half_pixel", "pytorch_half_pixel", "asymmetric", "align_corners".
    /// </summary>
    public string Resize(string x, string sizes, string mode = "linear", string coordinateMode = "half_pixel") =>
        Op("Resize", [x, "", "", sizes],
            OnnxAttribute.Of("mode", mode),
            OnnxAttribute.Of("coordinate_transformation_mode", coordinateMode));

    /// <summary>The shape of a value as an int64 vector.</summary>
    public string Shape(string x) => Op("Shape", [x]);

    // ---------------------------------------------------------------- encoding

    /// <summary>Encodes the ModelProto, pruned to the nodes and initializers the outputs need.</summary>
    public byte[] ToModelBytes()
    {
        if (_outputs.Count == 0)
        {
            throw new InvalidOperationException("The graph has no outputs.");
        }
        var (nodes, used) = Prune();
        // Sized for the weights up front, so the largest buffer is allocated once instead of doubled into place.
        long weightBytes = _initializers.Values.Where(i => used.Contains(i.Name)).Sum(i => i.RawLength);
        var graph = new ProtobufWriter((int)Math.Min(Array.MaxLength, weightBytes + (1 << 20)));
        foreach (Node node in nodes)
        {
            graph.WriteMessage(1, node.Encode);
        }
        graph.WriteString(2, _graphName);
        foreach (Initializer initializer in _initializers.Values)
        {
            if (used.Contains(initializer.Name))
            {
                initializer.EncodeInto(graph, 5);
            }
        }
        foreach (var (name, dimensions) in _inputs)
        {
            graph.WriteMessage(11, w => EncodeValueInfo(w, name, dimensions));
        }
        foreach (string output in _outputs)
        {
            graph.WriteMessage(12, w => EncodeValueInfo(w, output, null));
        }

        // The small ModelProto fields, then the graph's tag and length, then the graph bytes copied once into the
        // result (protobuf fields may come in any order), so the weights exist in two buffers at most, not three.
        var head = new ProtobufWriter();
        head.WriteVarint(1, 8); // ir_version
        head.WriteString(2, "GenMetrics");
        head.WriteMessage(8, w =>
        {
            w.WriteString(1, "");
            w.WriteVarint(2, OpsetVersion);
        });
        head.WriteMessagePrefix(7, graph.Length);
        var model = new byte[checked(head.Length + graph.Length)];
        head.CopyTo(model);
        graph.CopyTo(model.AsSpan((int)head.Length));
        return model;
    }

    private (List<Node> Nodes, HashSet<string> UsedValues) Prune()
    {
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _nodes.Count; i++)
        {
            foreach (string output in _nodes[i].Outputs)
            {
                producer[output] = i;
            }
        }
        var needed = new HashSet<string>(_outputs, StringComparer.Ordinal);
        var keep = new bool[_nodes.Count];
        var pending = new Stack<string>(_outputs);
        while (pending.Count > 0)
        {
            if (!producer.TryGetValue(pending.Pop(), out int index) || keep[index])
            {
                continue;
            }
            keep[index] = true;
            foreach (string input in _nodes[index].Inputs)
            {
                if (input.Length > 0 && needed.Add(input))
                {
                    pending.Push(input);
                }
            }
        }
        var nodes = new List<Node>();
        for (int i = 0; i < _nodes.Count; i++)
        {
            if (keep[i])
            {
                nodes.Add(_nodes[i]);
            }
        }
        return (nodes, needed);
    }

    private static void EncodeValueInfo(ProtobufWriter writer, string name, string[]? dimensions)
    {
        writer.WriteString(1, name);
        writer.WriteMessage(2, type => type.WriteMessage(1, tensor =>
        {
            tensor.WriteVarint(1, FloatType);
            if (dimensions is not null)
            {
                tensor.WriteMessage(2, shape =>
                {
                    foreach (string dimension in dimensions)
                    {
                        shape.WriteMessage(1, dim =>
                        {
                            if (long.TryParse(dimension, NumberStyles.None, CultureInfo.InvariantCulture, out long size))
                            {
                                dim.WriteVarint(1, size);
                            }
                            else
                            {
                                dim.WriteString(2, dimension);
                            }
                        });
                    }
                });
            }
        }));
    }

    private string UniqueName(string stem)
    {
        string name;
        do
        {
            name = string.Create(CultureInfo.InvariantCulture, $"{stem}_{_counter++}");
        }
        while (_names.Contains(name));
        return name;
    }

    private void Claim(string name)
    {
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"The ONNX value name '{name}' is already used.");
        }
    }

    private static void CheckCount(string name, int count, long[] shape)
    {
        long expected = 1;
        foreach (long dimension in shape)
        {
            expected *= dimension;
        }
        if (expected != count)
        {
            throw new ArgumentException($"Initializer '{name}' has {count} values but shape [{string.Join(",", shape)}] needs {expected}.");
        }
    }

    private sealed record Node(string Name, string OpType, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes)
    {
        /// <summary>NodeProto: input=1, output=2, name=3, op_type=4, attribute=5.</summary>
        public void Encode(ProtobufWriter writer)
        {
            foreach (string input in Inputs)
            {
                writer.WriteString(1, input);
            }
            foreach (string output in Outputs)
            {
                writer.WriteString(2, output);
            }
            writer.WriteString(3, Name);
            writer.WriteString(4, OpType);
            foreach (OnnxAttribute attribute in Attributes)
            {
                writer.WriteMessage(5, attribute.Encode);
            }
        }
    }

    private sealed record Initializer(string Name, int DataType, long[] Shape, float[]? Floats, long[]? Longs)
    {
        /// <summary>Bytes of the raw data.</summary>
        public long RawLength => Floats is not null ? Floats.LongLength * sizeof(float) : Longs!.LongLength * sizeof(long);

        /// <summary>
        /// Writes the TensorProto (dims=1, data_type=2, name=8, raw_data=9, little-endian) as field
        /// <paramref name="field"/> of <paramref name="parent"/>: the small fields go through a child writer, the raw
        /// data straight into the parent, so a weight tensor is copied once.
        /// </summary>
        public void EncodeInto(ProtobufWriter parent, int field)
        {
            var head = new ProtobufWriter(64 + Name.Length + 11 * Shape.Length);
            foreach (long dimension in Shape)
            {
                head.WriteVarint(1, dimension);
            }
            head.WriteVarint(2, DataType);
            head.WriteString(8, Name);
            ReadOnlySpan<byte> raw = Floats is not null
                ? MemoryMarshal.AsBytes(Floats.AsSpan())
                : MemoryMarshal.AsBytes(Longs!.AsSpan());
            parent.WriteMessagePrefix(field, head.Length + ProtobufWriter.BytesFieldLength(9, raw.Length));
            parent.WriteRaw(head);
            parent.WriteBytes(9, raw);
        }
    }
}
