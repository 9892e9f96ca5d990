using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace GenMetrics.Tests.Checkpoints;

/// <summary>Writes pickle opcodes by hand, to craft test checkpoints (valid and hostile) byte by byte.</summary>
internal sealed class PickleWriter
{
    private readonly List<byte> _bytes = [];

    public byte[] ToArray() => [.. _bytes];

    public PickleWriter Op(char opcode) => Raw((byte)opcode);

    public PickleWriter Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleWriter Proto(int protocol) => Raw(0x80, (byte)protocol);

    public PickleWriter Global(string module, string name) => Op('c').Raw(Encoding.ASCII.GetBytes($"{module}\n{name}\n"));

    public PickleWriter StackGlobal(string module, string name) => ShortUnicode(module).Memoize().ShortUnicode(name).Memoize().Raw(0x93);

    public PickleWriter Memoize() => Raw(0x94);

    public PickleWriter ShortUnicode(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        return Raw(0x8c, (byte)utf8.Length).Raw(utf8);
    }

    public PickleWriter Unicode(string text)
    {
        byte[] utf8 = Encoding.UTF8.GetBytes(text);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, utf8.Length);
        return Op('X').Raw(length).Raw(utf8);
    }

    public PickleWriter Int(int value)
    {
        if (value is >= 0 and < 256) return Op('K').Raw((byte)value);
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return Op('J').Raw(bytes);
    }

    public PickleWriter Tuple(params int[] values)
    {
        Op('(');
        foreach (int v in values) Int(v);
        return Op('t');
    }

    /// <summary>Pushes <c>_rebuild_tensor_v2(persistent storage, offset, size, stride, False, OrderedDict())</c>.</summary>
    public PickleWriter Tensor(string storageClass, string key, int numel, int offset, int[] size, int[] stride, bool stackGlobal = false)
    {
        if (stackGlobal) StackGlobal("torch._utils", "_rebuild_tensor_v2");
        else Global("torch._utils", "_rebuild_tensor_v2");
        Op('(');
        Op('(').Unicode("storage");
        if (stackGlobal) StackGlobal("torch", storageClass);
        else Global("torch", storageClass);
        Unicode(key).Unicode("cpu").Int(numel).Op('t').Op('Q');
        Int(offset).Tuple(size).Tuple(stride).Raw(0x89);
        Global("collections", "OrderedDict").Op(')').Op('R');
        return Op('t').Op('R');
    }

    /// <summary>The three header pickles of a legacy file (magic, protocol 1001, sys_info), copied from the fixture.</summary>
    public static byte[] LegacyHeader()
    {
        byte[] fixture = File.ReadAllBytes(Fixtures.Path("weights", "format_legacy_small.pth"));
        return fixture[..137];
    }

    /// <summary>Writes a zip-format checkpoint with the given data.pkl and storages under <paramref name="folder"/>.</summary>
    public static void WriteZip(string path, string folder, byte[] dataPkl, IReadOnlyDictionary<string, byte[]>? storages = null)
    {
        using var stream = File.Create(path);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create);
        void Add(string name, byte[] content)
        {
            using var s = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            s.Write(content);
        }
        Add($"{folder}/data.pkl", dataPkl);
        foreach (var (key, bytes) in storages ?? new Dictionary<string, byte[]>()) Add($"{folder}/data/{key}", bytes);
        Add($"{folder}/version", "3\n"u8.ToArray());
    }
}
