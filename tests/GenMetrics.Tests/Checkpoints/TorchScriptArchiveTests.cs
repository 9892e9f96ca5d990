using System.IO.Compression;
using System.Text.Json;
using GenMetrics.Checkpoints;
using GenMetrics.Networks;

namespace GenMetrics.Tests.Checkpoints;

/// <summary>
/// TorchScript archives (<c>torch.jit.save</c>): the module tree of data.pkl read as inert records, tensors through
/// the zip storage path, and the allow-list unchanged otherwise. The fixture is
/// <c>weights/nvidia_inception_torchscript.pt</c>, laid out like NVIDIA's <c>inception-2015-12-05.pt</c>.
/// </summary>
public sealed class TorchScriptArchiveTests : IDisposable
{
    private static readonly Lazy<StateDict> Nvidia = new(() => CheckpointReader.Read(NvidiaPath));
    private readonly TempDirectory _temp = new();

    private static string NvidiaPath => Fixtures.Path("weights", "nvidia_inception_torchscript.pt");

    public void Dispose() => _temp.Dispose();

    /// <summary>The archive's parameters as the golden JSON lists them (name, shape), in state_dict order.</summary>
    private static List<(string Name, int[] Shape)> GoldenParameters()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Fixtures.Path("golden", "clean_ts", "clean_ts.json")));
        return doc.RootElement.GetProperty("archive_module_tree").GetProperty("parameters").EnumerateArray()
            .Select(p => (p[0].GetString()!, p[1].EnumerateArray().Select(d => d.GetInt32()).ToArray()))
            .ToList();
    }

    [Fact]
    public void NvidiaArchiveReadsEveryDocumentedTensor()
    {
        var golden = GoldenParameters();
        StateDict state = Nvidia.Value;
        Assert.Equal(CheckpointFormat.TorchScript, state.Format);
        Assert.Equal(378, golden.Count);
        Assert.Equal(golden.Select(p => p.Name), state.Keys);
        foreach (var (name, shape) in golden)
        {
            Assert.Equal(shape, state[name].Shape);
            Assert.Equal(TensorDType.Float32, state[name].DType);
        }
        // The golden records the first conv's 16-level weight grid scale s: every value is s·(k − 7.5)/7.5.
        float scale = (float)Metrics.GoldenJson.Number(["golden", "clean_ts", "clean_ts.json"], "archive", "weights", "grid_scales", "layers.conv.weight");
        float[] weight = state["layers.conv.weight"].ToFloat32();
        Assert.True(weight.Distinct().Count() <= 16);
        Assert.Contains(weight, v => Math.Abs(Math.Abs(v) - scale) < 1e-6f);
        Assert.All(weight, v => Assert.True(Math.Abs(v) <= scale * (1 + 1e-6f)));
    }

    [Fact]
    public void NvidiaNamesCoverEveryArchiveTensorExactly()
    {
        var golden = GoldenParameters();
        var expected = NvidiaInceptionWeights.ExpectedTensors();
        Assert.Equal(golden.Select(p => p.Name), expected.Select(t => t.Name));
        Assert.Equal(golden.Select(p => p.Shape), expected.Select(t => t.Shape));
        // Every pytorch-fid key but the BatchNorm γ maps to one NVIDIA name, none twice.
        var pytorchFid = FidInceptionV3.ExpectedTensors().Where(t => !t.Name.EndsWith(".bn.weight", StringComparison.Ordinal)).ToList();
        Assert.Equal(378, pytorchFid.Select(t => NvidiaInceptionWeights.NameOf(t.Name)).Distinct().Count());
    }

    [Fact]
    public void MissingAndUnexpectedNvidiaNamesAreListedInOneLine()
    {
        StateDict full = Nvidia.Value;
        var tensors = full.Values.Where(t => t.Name != "layers.mixed_9.tower_1_mixed_conv.beta").ToList();
        tensors.Add(Renamed(full["output.bias"], "output.gamma"));
        var damaged = new StateDict("renamed.pt", CheckpointFormat.TorchScript, tensors);
        var e = Assert.Throws<GenMetricsException>(() => NvidiaInceptionWeights.Adapt(damaged));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("renamed.pt", e.Message, StringComparison.Ordinal);
        Assert.Contains("1 missing key(s): layers.mixed_9.tower_1_mixed_conv.beta", e.Message, StringComparison.Ordinal);
        Assert.Contains("1 unexpected key(s): output.gamma", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvolutionSettingsOfTheArchiveMatchTheGraphAndADifferenceIsNamed()
    {
        StateDict state = Nvidia.Value;
        // 94 convolutions, each with a stride and a padding attribute.
        Assert.Equal(188, state.ModuleIntegers.Count(a => a.Key.EndsWith(".stride", StringComparison.Ordinal) || a.Key.EndsWith(".padding", StringComparison.Ordinal)));
        Assert.Equal([2L], state.ModuleIntegers["layers.conv.stride"]);
        Assert.Equal([0L, 3L], state.ModuleIntegers["layers.mixed_4.tower.conv_1.padding"]);

        var integers = new Dictionary<string, long[]>(state.ModuleIntegers) { ["layers.mixed_9.tower_mixed_conv.padding"] = [1, 0] };
        var altered = new StateDict("altered.pt", CheckpointFormat.TorchScript, state.Values) { ModuleIntegers = integers };
        var e = Assert.Throws<GenMetricsException>(() => NvidiaInceptionWeights.Adapt(altered));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("layers.mixed_9.tower_mixed_conv.padding [1, 0] instead of [0, 1]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PytorchFidWeightsForTheNvidiaNetworkNameTheDifference()
    {
        var e = Assert.Throws<GenMetricsException>(() => NvidiaInceptionWeights.Adapt(CheckpointReader.Read(Fixtures.Path("weights", "fid_inception.pth"))));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("378 missing key(s): layers.conv.weight", e.Message, StringComparison.Ordinal);
        Assert.Contains("unexpected key(s): Conv2d_1a_3x3.conv.weight", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AdaptedWeightsGiveUnitGammaAndNvidiaValues()
    {
        StateDict state = Nvidia.Value;
        var weights = NvidiaInceptionWeights.Adapt(state);
        Assert.All(weights("Mixed_7c.branch_pool.bn.weight"), v => Assert.Equal(1f, v));
        Assert.Equal(192, weights("Mixed_7c.branch_pool.bn.weight").Length);
        Assert.Equal(state["layers.mixed_10.tower_2_conv.var"].ToFloat32(), weights("Mixed_7c.branch_pool.bn.running_var"));
        Assert.Equal(state["layers.mixed_4.tower_1.conv_4.weight"].ToFloat32(), weights("Mixed_6b.branch7x7dbl_5.conv.weight"));
        Assert.Equal(state["output.weight"].ToFloat32(), weights("fc.weight"));
    }

    [Fact]
    public void CraftedModuleTreeReadsAttributeTensorsByPath()
    {
        string path = _temp.Path("tree.pt");
        WriteTorchScriptZip(path, ModuleTree(), withCode: true);
        var state = CheckpointReader.Read(path);
        Assert.Equal(CheckpointFormat.TorchScript, state.Format);
        Assert.Equal(["child.weight"], state.Keys);
        Assert.Equal([0f, 1.5f], state["child.weight"].ToFloat32());
    }

    [Fact]
    public void TorchScriptClassesOutsideATorchScriptArchiveAreRefused()
    {
        // The same pickle in a plain torch.save layout (no constants.pkl, no code/): the allow-list is unchanged.
        string path = _temp.Path("plain.pth");
        PickleWriter.WriteZip(path, "plain", ModuleTree(), new Dictionary<string, byte[]> { ["0"] = Storage() });
        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
        Assert.Contains("'__torch__.m.Root'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ForbiddenGlobalInsideATorchScriptArchiveIsRefused()
    {
        byte[] pickle = new PickleWriter().Proto(2)
            .Global("__torch__.m", "Root").Op(')').Raw(0x81).Op('}').Op('(')
            .Unicode("x").Global("builtins", "eval").Unicode("1").Raw(0x85).Op('R')
            .Op('u').Op('b').Op('.').ToArray();
        string path = _temp.Path("evil.pt");
        WriteTorchScriptZip(path, pickle, withCode: false);
        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
        Assert.Contains("'builtins.eval'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TorchScriptClassCalledWithArgumentsIsRefused()
    {
        byte[] pickle = new PickleWriter().Proto(2)
            .Global("__torch__.m", "Root").Unicode("rm -rf").Raw(0x85).Op('R').Op('.').ToArray();
        string path = _temp.Path("call.pt");
        WriteTorchScriptZip(path, pickle, withCode: true);
        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
        Assert.Contains("'__torch__.m.Root' is constructed with arguments", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ConstantsPickleGoesThroughTheAllowList()
    {
        byte[] constants = new PickleWriter().Proto(2)
            .Global("os", "system").Unicode("true").Raw(0x85).Op('R').Raw(0x85).Op('.').ToArray();
        string path = _temp.Path("constants.pt");
        WriteTorchScriptZip(path, ModuleTree(), withCode: true, constants);
        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
        Assert.Contains("'os.system'", e.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// <c>Root(training=False, child=Child(weight=tensor([0, 1.5]), padding=build_intlist([0, 0])))</c> as
    /// torch.jit.save pickles it: NEWOBJ of an empty tuple, then BUILD with the attribute dict.
    /// </summary>
    private static byte[] ModuleTree() => new PickleWriter().Proto(2)
        .Global("__torch__.m", "Root").Op(')').Raw(0x81).Op('}').Op('(')
        .Unicode("training").Raw(0x89)
        .Unicode("child").Global("__torch__.m", "Child").Op(')').Raw(0x81).Op('}').Op('(')
        .Unicode("weight").Tensor("FloatStorage", "0", 2, 0, [2], [1])
        .Unicode("padding").Global("torch.jit._pickle", "build_intlist").Op('(').Op(']').Op('(').Int(0).Int(0).Op('e').Op('t').Op('R')
        .Op('u').Op('b')
        .Op('u').Op('b').Op('.').ToArray();

    private static byte[] Storage()
    {
        var bytes = new byte[8];
        BitConverter.TryWriteBytes(bytes.AsSpan(4), 1.5f);
        return bytes;
    }

    private static void WriteTorchScriptZip(string path, byte[] dataPkl, bool withCode, byte[]? constantsPkl = null)
    {
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        void Add(string name, byte[] content)
        {
            using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            s.Write(content);
        }
        Add("m/data.pkl", dataPkl);
        Add("m/constants.pkl", constantsPkl ?? [0x80, 0x02, (byte)')', (byte)'.']);
        if (withCode) Add("m/code/__torch__/m.py", "def forward(self): import os; os.system('never run')\n"u8.ToArray());
        Add("m/data/0", Storage());
        Add("m/version", "4\n"u8.ToArray());
    }

    /// <summary>A contiguous copy of a 1-d tensor under another name.</summary>
    private static CheckpointTensor Renamed(CheckpointTensor tensor, string name) =>
        new(name, tensor.DType, tensor.Shape, [1], 0, tensor.ToBytes());
}
