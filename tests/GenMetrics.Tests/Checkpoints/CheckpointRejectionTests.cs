using GenMetrics.Checkpoints;

namespace GenMetrics.Tests.Checkpoints;

/// <summary>Hostile, damaged and wrong files fail with one GenMetricsException line naming the file.</summary>
public sealed class CheckpointRejectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string, string> ForbiddenGlobals => new()
    {
        { "os", "system" },
        { "builtins", "eval" },
        { "__builtin__", "getattr" },
        { "torch.nn.modules.conv", "Conv2d" },
        { "subprocess", "Popen" },
    };

    [Theory]
    [MemberData(nameof(ForbiddenGlobals))]
    public void LegacyPickleNamingAForbiddenGlobalIsRefused(string module, string name)
    {
        // os.system('touch PWNED'): GLOBAL, then a tuple, then REDUCE. Refused at the GLOBAL, before REDUCE.
        string marker = _temp.Path("PWNED");
        byte[] pickle = new PickleWriter().Proto(2).Global(module, name).Unicode($"touch {marker}").Raw(0x85).Op('R').Op('.').ToArray();
        string path = _temp.Path("evil.pth");
        File.WriteAllBytes(path, [.. PickleWriter.LegacyHeader(), .. pickle]);

        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
        Assert.Contains($"'{module}.{name}'", e.Message, StringComparison.Ordinal);
        Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.False(File.Exists(marker));
    }

    [Fact]
    public void ForbiddenGlobalInsideAValidStateDictIsRefused()
    {
        // A real-looking OrderedDict whose second value is built by builtins.exec via STACK_GLOBAL (protocol 4).
        byte[] pickle = new PickleWriter().Proto(4)
            .Global("collections", "OrderedDict").Op(')').Op('R').Op('(')
            .Unicode("w").Tensor("FloatStorage", "0", 2, 0, [2], [1], stackGlobal: true)
            .Unicode("x").StackGlobal("builtins", "exec").Unicode("import os").Raw(0x85).Op('R')
            .Op('u').Op('.').ToArray();
        string path = _temp.Path("evil_zip.pth");
        PickleWriter.WriteZip(path, "evil_zip", pickle, new Dictionary<string, byte[]> { ["0"] = new byte[8] });

        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
        Assert.Contains("'builtins.exec'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CraftedProtocol4ZipStateDictReads()
    {
        // Protocol 4 opcodes (FRAME, SHORT_BINUNICODE, STACK_GLOBAL, MEMOIZE) and _rebuild_parameter around a tensor.
        var writer = new PickleWriter().Proto(4).Raw(0x95, 0, 0, 0, 0, 0, 0, 0, 0)
            .Op('}').Memoize().Op('(')
            .ShortUnicode("layer.weight")
            .StackGlobal("torch._utils", "_rebuild_parameter").Op('(')
            .Tensor("DoubleStorage", "7", 6, 1, [2, 2], [1, 2], stackGlobal: true)
            .Raw(0x88).Global("collections", "OrderedDict").Op(')').Op('R').Op('t').Op('R')
            .ShortUnicode("meta").Int(3)
            .Op('u').Op('.');
        var storage = new byte[6 * 8];
        for (int i = 0; i < 6; i++) BitConverter.TryWriteBytes(storage.AsSpan(i * 8), i * 1.5);
        string path = _temp.Path("p4.pth");
        PickleWriter.WriteZip(path, "archive", writer.ToArray(), new Dictionary<string, byte[]> { ["7"] = storage });

        var state = CheckpointReader.Read(path);
        Assert.Equal(["layer.weight"], state.Keys);
        var t = state["layer.weight"];
        Assert.Equal(TensorDType.Float64, t.DType);
        Assert.False(t.IsContiguous);
        // storage [0, 1.5, 3, 4.5, 6, 7.5], offset 1, size (2,2), stride (1,2): [[1.5, 4.5], [3, 6]]
        Assert.Equal([1.5, 4.5, 3.0, 6.0], t.ToFloat64());
    }

    [Fact]
    public void OrderedDictFromATupleOfPairsAndTextOpcodesRead()
    {
        // OrderedDict(((u'a', tensor),)) with protocol-0 style PUT/GET text memo opcodes and a BININT offset.
        var writer = new PickleWriter().Proto(2)
            .Global("collections", "OrderedDict").Op('p').Raw("0\n"u8.ToArray())
            .Op('(').Op('(').Op('(').Unicode("a").Tensor("LongStorage", "k", 3, 0, [3], [1]).Op('t').Op('t').Op('t').Op('R')
            .Op('.');
        string path = _temp.Path("text_ops.pth");
        byte[] storage = [.. BitConverter.GetBytes(-1L), .. BitConverter.GetBytes(5L), .. BitConverter.GetBytes(long.MaxValue)];
        PickleWriter.WriteZip(path, "text_ops", writer.ToArray(), new Dictionary<string, byte[]> { ["k"] = storage });
        var state = CheckpointReader.Read(path);
        Assert.Equal([-1L, 5L, long.MaxValue], state["a"].ToInt64());
    }

    [Fact]
    public void EveryTruncationOfTheFormatFixturesFailsCleanly()
    {
        foreach (string file in new[] { "format_legacy_small.pth", "format_zip_small.pth" })
        {
            byte[] full = File.ReadAllBytes(Fixtures.Path("weights", file));
            string path = _temp.Path("cut_" + file);
            for (int length = 0; length < full.Length; length += length < 200 ? 1 : 7)
            {
                File.WriteAllBytes(path, full[..length]);
                var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
                Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void TruncatedInceptionStorageIsReportedAsTruncated()
    {
        string source = Fixtures.Path("weights", "fid_inception.pth");
        string path = _temp.Path("fid_inception_cut.pth");
        using (var input = File.OpenRead(source))
        using (var output = File.Create(path))
        {
            var buffer = new byte[1 << 20];
            long remaining = input.Length - 1000;
            while (remaining > 0)
            {
                int n = input.Read(buffer, 0, (int)Math.Min(buffer.Length, remaining));
                output.Write(buffer, 0, n);
                remaining -= n;
            }
        }
        var e = Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path));
        Assert.Contains("truncated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptedBytesNeverEscapeAsOtherExceptions()
    {
        var random = new Random(20261123);
        foreach (string file in new[] { "format_legacy_small.pth", "format_zip_small.pth", "lpips_v0.1/alex.pth" })
        {
            byte[] original = File.ReadAllBytes(Fixtures.Path(file.Split('/').Prepend("weights").ToArray()));
            string path = _temp.Path("flipped.pth");
            for (int trial = 0; trial < 300; trial++)
            {
                byte[] bytes = (byte[])original.Clone();
                for (int k = 0; k < 3; k++) bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                File.WriteAllBytes(path, bytes);
                try
                {
                    var state = CheckpointReader.Read(path);
                    foreach (var tensor in state.Values) _ = tensor.ToFloat64();
                }
                catch (GenMetricsException e)
                {
                    Assert.StartsWith(path, e.Message, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public void NonCheckpointFilesAreRecognised()
    {
        string text = _temp.Path("notes.pth");
        File.WriteAllText(text, "these are not weights");
        Assert.Contains("not a PyTorch checkpoint", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(text)).Message, StringComparison.Ordinal);

        string empty = _temp.Path("empty.pth");
        File.WriteAllBytes(empty, []);
        Assert.Contains("empty", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(empty)).Message, StringComparison.Ordinal);

        string png = Fixtures.Path("images", "odd", "tiny_1x1.png");
        Assert.Contains("not a PyTorch checkpoint", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(png)).Message, StringComparison.Ordinal);

        string missing = _temp.Path("missing.pth");
        Assert.Contains("file not found", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(missing)).Message, StringComparison.Ordinal);
        Assert.Contains("file not found", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(_temp.Root)).Message, StringComparison.Ordinal);

        string zip = _temp.Path("plain.zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            archive.CreateEntry("readme.txt");
        }
        Assert.Contains("no data.pkl", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(zip)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PickleOfSomethingElseThanADictIsRejected()
    {
        byte[] pickle = new PickleWriter().Proto(2).Op(']').Int(1).Op('a').Op('.').ToArray();
        string path = _temp.Path("list.pth");
        PickleWriter.WriteZip(path, "list", pickle);
        Assert.Contains("not a state dict", Assert.Throws<GenMetricsException>(() => CheckpointReader.Read(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointOfAnotherNetworkListsEveryProblemKey()
    {
        // AlexNet weights offered where the VGG16 trunk is expected (shapes from the manifest).
        using var manifest = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Fixtures.Path("weights", "weights_manifest.json")));
        var vgg = manifest.RootElement.GetProperty("lpips_backbones").GetProperty("vgg16_features.pth").GetProperty("keys")
            .EnumerateObject().Select(p => new KeyValuePair<string, int[]>(p.Name, p.Value.EnumerateArray().Select(e => e.GetInt32()).ToArray())).ToList();
        var alex = CheckpointReader.Read(Fixtures.Path("weights", "alexnet_features.pth"));

        var e = Assert.Throws<GenMetricsException>(() => alex.Validate(vgg, "VGG16"));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("features.0.weight [64, 3, 11, 11] instead of [64, 3, 3, 3]", e.Message, StringComparison.Ordinal);
        foreach (var (key, _) in vgg.Where(k => !alex.ContainsKey(k.Key))) Assert.Contains(key, e.Message, StringComparison.Ordinal);
        Assert.Contains("alexnet_features.pth: not a VGG16 checkpoint", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckpointOfAVeryDifferentNetworkNamesTheFirstKeysAndCountsTheRest()
    {
        // Inception expects 472 tensors that AlexNet lacks: the line names 40 of them and counts the rest.
        var expected = Enumerable.Range(0, 472).Select(i => new KeyValuePair<string, int[]>($"block{i}.weight", [1])).ToList();
        var alex = CheckpointReader.Read(Fixtures.Path("weights", "alexnet_features.pth"));
        var e = Assert.Throws<GenMetricsException>(() => alex.Validate(expected, "FID Inception-v3"));
        Assert.DoesNotContain('\n', e.Message);
        Assert.Contains("472 missing key(s): block0.weight, block1.weight,", e.Message, StringComparison.Ordinal);
        Assert.Contains("block39.weight, … and 432 more", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("block40.weight", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ValidateListsEveryMissingAndMisshapedKey()
    {
        var state = CheckpointReader.Read(Fixtures.Path("weights", "lpips_v0.1", "alex.pth"));
        var expected = new Dictionary<string, int[]>
        {
            ["lin0.model.1.weight"] = [1, 64, 1, 1],
            ["lin1.model.1.weight"] = [1, 100, 1, 1],
            ["lin9.model.1.weight"] = [1, 8, 1, 1],
            ["fc.weight"] = [1008, 2048],
        };
        var e = Assert.Throws<GenMetricsException>(() => state.Validate(expected, "FID Inception-v3"));
        Assert.Contains("lin9.model.1.weight", e.Message, StringComparison.Ordinal);
        Assert.Contains("fc.weight", e.Message, StringComparison.Ordinal);
        Assert.Contains("lin1.model.1.weight [1, 192, 1, 1] instead of [1, 100, 1, 1]", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", e.Message, StringComparison.Ordinal);
        Assert.Contains("alex.pth", e.Message, StringComparison.Ordinal);

        var strict = Assert.Throws<GenMetricsException>(() => state.Validate(
            [new("lin0.model.1.weight", [1, 64, 1, 1])], "LPIPS alex", allowExtraKeys: false));
        Assert.Contains("4 unexpected key(s)", strict.Message, StringComparison.Ordinal);

        Assert.Contains("no tensor 'nope'", Assert.Throws<GenMetricsException>(() => state.Require("nope")).Message, StringComparison.Ordinal);
        Assert.Contains("expected [64]", Assert.Throws<GenMetricsException>(() => state.Require("lin0.model.1.weight", 64)).Message, StringComparison.Ordinal);
        Assert.Throws<GenMetricsException>(() => state["lin0.model.1.weight"].ToInt64());
    }
}
