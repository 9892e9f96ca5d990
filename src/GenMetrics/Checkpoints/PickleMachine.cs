using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace GenMetrics.Checkpoints;

/// <summary>
/// A restricted pickle virtual machine (protocols 0–5) that understands what <c>torch.save</c> emits for
/// a state dict. It never imports or calls anything: globals go through <see cref="PickleAllowList"/>,
/// and the few allowed "calls" (OrderedDict, tensor rebuild functions) are interpreted into plain
/// records (<see cref="PickleDict"/>, <see cref="TensorRecord"/>). Persistent ids are handed to the
/// format's resolver (storages). Unknown opcodes, stack underflow and wrong argument types raise
/// <see cref="CheckpointFormatException"/>; the end of the stream raises <see cref="EndOfStreamException"/>.
/// </summary>
internal sealed class PickleMachine
{
    private const int MaxLineLength = 1 << 16;

    /// <summary>
    /// Most values one pickle may push. A state dict's pickle pushes about 15 per tensor (name, storage id tuple,
    /// shape, strides, rebuild call), so the networks read here (under 400 tensors) need under 10⁴; 2²⁰ leaves room
    /// for state dicts of 60000 tensors. Each push makes at most one small object (about 100 bytes for an empty
    /// list that is then appended to), so a crafted pickle of empty containers stops near 100 MiB instead of
    /// growing with its length (a 20 MB one reached 3.4 GB).
    /// </summary>
    internal const int MaxPushes = 1 << 20;

    private int _pushes;

    private readonly Stream _input;
    private readonly Func<object?, object?> _persistentLoad;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];

    private readonly bool _torchScript;

    private PickleMachine(Stream input, Func<object?, object?> persistentLoad, bool torchScript)
    {
        _input = input;
        _persistentLoad = persistentLoad;
        _torchScript = torchScript;
    }

    /// <summary>
    /// Runs one pickle from the stream's current position up to and including its STOP opcode. With
    /// <paramref name="torchScript"/> (the data.pkl and constants.pkl of a TorchScript archive), the archive's
    /// <c>__torch__.*</c> classes become <see cref="TorchScriptObject"/> records (see <see cref="PickleAllowList.Resolve"/>).
    /// </summary>
    public static object? Load(Stream input, Func<object?, object?>? persistentLoad = null, bool torchScript = false) =>
        new PickleMachine(input, persistentLoad ?? (_ => throw new CheckpointFormatException("malformed pickle: unexpected persistent id")), torchScript).Run();

    private object? Run()
    {
        while (true)
        {
            long at = _input.CanSeek ? _input.Position : -1;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break;                      // PROTO n
                case 0x95: ReadBytes(8); break;                    // FRAME length: framing is only a read hint
                case (byte)'.': return Pop();                      // STOP
                case (byte)'(': _marks.Push(_stack.Count); break;  // MARK
                case (byte)'0': Pop(); break;                      // POP
                case (byte)'1': PopMark(); break;                  // POP_MARK
                case (byte)'2': Push(Peek()); break;               // DUP
                case (byte)'N': Push(null); break;
                case 0x88: Push(true); break;                      // NEWTRUE
                case 0x89: Push(false); break;                     // NEWFALSE
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;  // BININT
                case (byte)'K': Push((long)ReadByte()); break;                                             // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break;  // BININT2
                case 0x8a: Push(ReadLong(ReadByte())); break;                                             // LONG1
                case 0x8b: Push(ReadLong(ReadLength(4))); break;                                          // LONG4
                case (byte)'I': Push(ParseIntLine(ReadLine())); break;                                    // INT
                case (byte)'L': Push(ParseLongLine(ReadLine())); break;                                   // LONG
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;          // BINFLOAT
                case (byte)'F': Push(double.Parse(ReadLine(), CultureInfo.InvariantCulture)); break;      // FLOAT
                case (byte)'X': Push(Encoding.UTF8.GetString(ReadBytes(ReadLength(4)))); break;           // BINUNICODE
                case 0x8c: Push(Encoding.UTF8.GetString(ReadBytes(ReadByte()))); break;                   // SHORT_BINUNICODE
                case 0x8d: Push(Encoding.UTF8.GetString(ReadBytes(ReadLength(8)))); break;                // BINUNICODE8
                case (byte)'U': Push(Encoding.UTF8.GetString(ReadBytes(ReadByte()))); break;              // SHORT_BINSTRING
                case (byte)'T': Push(Encoding.UTF8.GetString(ReadBytes(ReadLength(4)))); break;           // BINSTRING
                case (byte)'C': Push(ReadBytes(ReadByte())); break;                                       // SHORT_BINBYTES
                case (byte)'B': Push(ReadBytes(ReadLength(4))); break;                                    // BINBYTES
                case 0x8e: Push(ReadBytes(ReadLength(8))); break;                                         // BINBYTES8
                case 0x96: Push(ReadBytes(ReadLength(8))); break;                                         // BYTEARRAY8
                case (byte)'}': Push(new PickleDict()); break;                                            // EMPTY_DICT
                case (byte)'d': Push(DictFrom(PopMark())); break;                                         // DICT
                case (byte)']': Push(new List<object?>()); break;                                         // EMPTY_LIST
                case (byte)'l': Push(PopMark()); break;                                                   // LIST
                case 0x8f: Push(new List<object?>()); break;                                              // EMPTY_SET (as a list)
                case 0x90: AddItems(PopMark()); break;                                                    // ADDITEMS
                case 0x91: Push(PopMark()); break;                                                        // FROZENSET
                case (byte)')': Push(Array.Empty<object?>()); break;                                      // EMPTY_TUPLE
                case (byte)'t': Push(PopMark().ToArray()); break;                                         // TUPLE
                case 0x85: Push(new[] { Pop() }); break;                                                  // TUPLE1
                case 0x86: { object? b = Pop(), a = Pop(); Push(new[] { a, b }); break; }                 // TUPLE2
                case 0x87: { object? c = Pop(), b = Pop(), a = Pop(); Push(new[] { a, b, c }); break; }   // TUPLE3
                case (byte)'s': { object? v = Pop(), k = Pop(); PeekAs<PickleDict>("SETITEM").Set(k, v); break; }
                case (byte)'u': SetItems(PopMark()); break;                                               // SETITEMS
                case (byte)'a': { object? v = Pop(); PeekAs<List<object?>>("APPEND").Add(v); break; }
                case (byte)'e': { var items = PopMark(); PeekAs<List<object?>>("APPENDS").AddRange(items); break; }
                case (byte)'c': Push(PickleAllowList.Resolve(ReadLine(), ReadLine(), _torchScript)); break;             // GLOBAL
                case 0x93: { string name = PopAs<string>("STACK_GLOBAL"); string module = PopAs<string>("STACK_GLOBAL"); Push(PickleAllowList.Resolve(module, name, _torchScript)); break; }
                case (byte)'i': { var global = PickleAllowList.Resolve(ReadLine(), ReadLine(), _torchScript); Push(Call(global, PopMark().ToArray())); break; } // INST
                case (byte)'o': { var items = PopMark(); if (items.Count == 0) throw Malformed("OBJ without a class", at); Push(Call(As<PickleGlobal>(items[0], "OBJ"), items.Skip(1).ToArray())); break; }
                case (byte)'R': { var args = PopAs<object?[]>("REDUCE"); Push(Call(PopAs<PickleGlobal>("REDUCE"), args)); break; }
                case 0x81: { var args = PopAs<object?[]>("NEWOBJ"); Push(Call(PopAs<PickleGlobal>("NEWOBJ"), args)); break; }
                case 0x92: { Pop(); var args = PopAs<object?[]>("NEWOBJ_EX"); Push(Call(PopAs<PickleGlobal>("NEWOBJ_EX"), args)); break; }
                case (byte)'b': Build(Pop(), Peek()); break;                                               // BUILD
                case (byte)'Q': Push(_persistentLoad(Pop())); break;                                      // BINPERSID
                case (byte)'P': Push(_persistentLoad(ReadLine())); break;                                 // PERSID
                case (byte)'q': _memo[ReadByte()] = Peek(); break;                                        // BINPUT
                case (byte)'r': _memo[ReadLength(4)] = Peek(); break;                                     // LONG_BINPUT
                case (byte)'p': _memo[ParseMemoIndex(ReadLine(), at)] = Peek(); break;                    // PUT
                case 0x94: _memo[_memo.Count] = Peek(); break;                                            // MEMOIZE
                case (byte)'h': Push(FromMemo(ReadByte(), at)); break;                                    // BINGET
                case (byte)'j': Push(FromMemo(ReadLength(4), at)); break;                                 // LONG_BINGET
                case (byte)'g': Push(FromMemo(ParseMemoIndex(ReadLine(), at), at)); break;                // GET
                default:
                    throw Malformed($"unsupported pickle opcode 0x{op:x2}", at);
            }
        }
    }

    /// <summary>
    /// BUILD: an OrderedDict keeps its <c>_metadata</c> state; a TorchScript object takes its attribute dict.
    /// Nothing else may be built.
    /// </summary>
    private static void Build(object? state, object? target)
    {
        switch (target)
        {
            case PickleDict dict:
                dict.State = state;
                break;
            case TorchScriptObject module:
                module.Attributes = As<PickleDict>(state, $"the state of TorchScript object {module.ClassName}");
                break;
            default:
                throw new CheckpointFormatException($"malformed pickle: BUILD target is {Describe(target)}, not what a state dict holds");
        }
    }

    /// <summary>Interprets a call of an allowed global; nothing is executed.</summary>
    private static object? Call(PickleGlobal callable, object?[] args)
    {
        if (callable.IsTorchScriptClass)
        {
            // NEWOBJ cls () is how TorchScript pickles a module object; its attributes come with BUILD.
            if (args.Length != 0)
            {
                throw new CheckpointFormatException($"malformed pickle: TorchScript class '{callable.FullName}' is constructed with arguments; only an empty object with attributes is accepted");
            }
            return new TorchScriptObject(callable.FullName);
        }
        if (PickleAllowList.TorchScriptListBuilders.Contains(callable.FullName))
        {
            if (args.Length != 1) throw new CheckpointFormatException($"malformed pickle: {callable.FullName} needs 1 argument, got {args.Length}");
            return As<List<object?>>(args[0], callable.FullName + " argument");
        }
        if (callable.FullName == PickleAllowList.TorchScriptRestoreTypeTag)
        {
            if (args.Length != 2) throw new CheckpointFormatException($"malformed pickle: {callable.FullName} needs 2 arguments, got {args.Length}");
            return args[0];
        }
        switch (callable.FullName)
        {
            case PickleAllowList.OrderedDict:
                {
                    var dict = new PickleDict();
                    if (args.Length > 0 && args[0] is IList<object?> pairs)
                    {
                        foreach (object? pair in pairs)
                        {
                            var kv = As<IList<object?>>(pair, "OrderedDict item");
                            if (kv.Count != 2) throw new CheckpointFormatException("malformed pickle: OrderedDict item is not a pair");
                            dict.Set(kv[0], kv[1]);
                        }
                    }
                    return dict;
                }
            case PickleAllowList.RebuildTensor:
            case PickleAllowList.RebuildTensorV2:
                {
                    if (args.Length < 4) throw new CheckpointFormatException($"malformed pickle: {callable.FullName} needs 4 arguments, got {args.Length}");
                    var storage = As<StorageReference>(args[0], "tensor storage");
                    long offset = As<long>(args[1], "tensor storage offset");
                    int[] shape = Sizes(args[2]).Select(s => checked((int)s)).ToArray();
                    long[] strides = Sizes(args[3]);
                    return new TensorRecord(storage, offset, shape, strides);
                }
            case PickleAllowList.RebuildParameter:
            case PickleAllowList.RebuildParameterWithState:
                if (args.Length < 1) throw new CheckpointFormatException($"malformed pickle: {callable.FullName} without a tensor");
                return As<TensorRecord>(args[0], "parameter data");
            case PickleAllowList.TorchSize:
                return args.Length > 0 ? As<object?[]>(args[0], "torch.Size") : [];
            default:
                throw new CheckpointFormatException($"malformed pickle: '{callable.FullName}' is a type, not something a state dict calls");
        }
    }

    private static long[] Sizes(object? value)
    {
        var items = As<IList<object?>>(value, "tensor size/stride");
        var result = new long[items.Count];
        for (int i = 0; i < result.Length; i++) result[i] = As<long>(items[i], "tensor size/stride");
        return result;
    }

    private void SetItems(List<object?> items)
    {
        var dict = PeekAs<PickleDict>("SETITEMS");
        if (items.Count % 2 != 0) throw new CheckpointFormatException("malformed pickle: SETITEMS with an odd number of items");
        for (int i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
    }

    private void AddItems(List<object?> items) => PeekAs<List<object?>>("ADDITEMS").AddRange(items);

    private static PickleDict DictFrom(List<object?> items)
    {
        if (items.Count % 2 != 0) throw new CheckpointFormatException("malformed pickle: DICT with an odd number of items");
        var dict = new PickleDict();
        for (int i = 0; i < items.Count; i += 2) dict.Set(items[i], items[i + 1]);
        return dict;
    }

    private void Push(object? value)
    {
        if (++_pushes > MaxPushes)
        {
            throw new CheckpointFormatException($"the pickle makes more than {MaxPushes} objects; a state dict's pickle makes about 15 per tensor", "pass a state dict written by torch.save");
        }
        _stack.Add(value);
    }

    private object? Peek() =>
        _stack.Count > 0 ? _stack[^1] : throw new CheckpointFormatException("malformed pickle: stack underflow");

    private object? Pop()
    {
        if (_stack.Count == 0 || (_marks.Count > 0 && _marks.Peek() >= _stack.Count))
        {
            throw new CheckpointFormatException("malformed pickle: stack underflow");
        }
        object? value = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private T PopAs<T>(string what) => As<T>(Pop(), what);

    private T PeekAs<T>(string what) => As<T>(Peek(), what);

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw new CheckpointFormatException("malformed pickle: no MARK on the stack");
        int start = _marks.Pop();
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    private static T As<T>(object? value, string what) => value is T t
        ? t
        : throw new CheckpointFormatException($"malformed pickle: {what} is {Describe(value)}, not what a state dict holds");

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => g.FullName,
        TorchScriptObject o => o.ClassName,
        _ => value.GetType().Name,
    };

    private object? FromMemo(long index, long at) =>
        _memo.TryGetValue(index, out object? value) ? value : throw Malformed($"memo entry {index} is missing", at);

    private static CheckpointFormatException Malformed(string what, long at) =>
        new(at >= 0 ? $"malformed pickle: {what} at byte {at}" : $"malformed pickle: {what}");

    private byte ReadByte()
    {
        int b = _input.ReadByte();
        return b < 0 ? throw new EndOfStreamException() : (byte)b;
    }

    private byte[] ReadBytes(long count)
    {
        if (_input.CanSeek && count > _input.Length - _input.Position) throw new EndOfStreamException();
        var buffer = new byte[checked((int)count)];
        _input.ReadExactly(buffer);
        return buffer;
    }

    private long ReadLength(int bytes)
    {
        byte[] raw = ReadBytes(bytes);
        long length = bytes switch
        {
            4 => BinaryPrimitives.ReadUInt32LittleEndian(raw),
            _ => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(raw), long.MaxValue),
        };
        return length;
    }

    /// <summary>LONG1/LONG4: little-endian two's complement; a long when it fits, else a BigInteger.</summary>
    private object ReadLong(long byteCount)
    {
        byte[] raw = ReadBytes(byteCount);
        var value = new BigInteger(raw, isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    private string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            byte b = ReadByte();
            if (b == (byte)'\n') break;
            if (bytes.Count >= MaxLineLength) throw new CheckpointFormatException("malformed pickle: text line too long");
            bytes.Add(b);
        }
        return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
    }

    private static object ParseIntLine(string line) => line switch
    {
        "00" => false,
        "01" => true,
        _ => long.TryParse(line, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new CheckpointFormatException($"malformed pickle: bad INT '{line}'"),
    };

    private static object ParseLongLine(string line)
    {
        var value = BigInteger.Parse(line.TrimEnd('L'), CultureInfo.InvariantCulture);
        return value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;
    }

    private static long ParseMemoIndex(string line, long at) =>
        long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v : throw Malformed($"bad memo index '{line}'", at);
}
