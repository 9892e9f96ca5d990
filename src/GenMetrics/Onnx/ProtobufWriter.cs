using System.Buffers.Binary;
using System.Text;

namespace GenMetrics.Onnx;

/// <summary>
/// Minimal protocol-buffers encoder for the few wire types ONNX needs: varint (0), fixed32 (5) and
/// length-delimited (2). Nested messages are encoded into their own writer first so their length is known.
/// </summary>
internal sealed class ProtobufWriter
{
    private readonly MemoryStream _buffer;

    public ProtobufWriter(int capacity = 256) => _buffer = new MemoryStream(capacity);

    public long Length => _buffer.Length;

    public void WriteVarint(int field, long value)
    {
        WriteTag(field, 0);
        WriteRawVarint(unchecked((ulong)value));
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, 5);
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        _buffer.Write(bytes);
    }

    public void WriteString(int field, string value) => WriteBytes(field, Encoding.UTF8.GetBytes(value));

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, 2);
        WriteRawVarint((ulong)value.Length);
        _buffer.Write(value);
    }

    public void WriteMessage(int field, ProtobufWriter message)
    {
        WriteTag(field, 2);
        WriteRawVarint((ulong)message._buffer.Length);
        message._buffer.Position = 0;
        message._buffer.CopyTo(_buffer);
    }

    public void WriteMessage(int field, Action<ProtobufWriter> encode)
    {
        var child = new ProtobufWriter();
        encode(child);
        WriteMessage(field, child);
    }

    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>Copies the bytes written so far to the start of <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination) => _buffer.GetBuffer().AsSpan(0, (int)_buffer.Length).CopyTo(destination);

    /// <summary>Writes the tag and length of a length-delimited field whose <paramref name="length"/> bytes follow.</summary>
    public void WriteMessagePrefix(int field, long length)
    {
        WriteTag(field, 2);
        WriteRawVarint((ulong)length);
    }

    /// <summary>Appends the bytes another writer holds, as they are.</summary>
    public void WriteRaw(ProtobufWriter other)
    {
        other._buffer.Position = 0;
        other._buffer.CopyTo(_buffer);
    }

    /// <summary>Encoded size of a bytes field (tag, length varint, data).</summary>
    public static long BytesFieldLength(int field, long dataLength) => VarintLength((ulong)(field << 3 | 2)) + VarintLength((ulong)dataLength) + dataLength;

    private static int VarintLength(ulong value)
    {
        int n = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            n++;
        }
        return n;
    }

    private void WriteTag(int field, int wireType) => WriteRawVarint((ulong)((field << 3) | wireType));

    private void WriteRawVarint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
