using System.IO.Compression;

namespace GenMetrics.Tests.Imaging;

/// <summary>A plain little-endian TIFF writer for tests: one IFD, strips (3 rows by default), chosen compression and predictor.</summary>
internal static class TiffTestWriter
{
    public static byte[] Write(int width, int height, int samples, int photometric, byte[] raster, int compression,
        int predictor = 1, ushort[]? colorMap = null, int bitsPerSample = 8, int extraSamples = -1, int rowsPerStrip = 3)
    {
        int rowBytes = bitsPerSample == 1 ? (width + 7) / 8 : width * samples;
        var strips = new List<byte[]>();
        for (int y = 0; y < height; y += rowsPerStrip)
        {
            int rows = Math.Min(rowsPerStrip, height - y);
            var strip = raster.AsSpan(y * rowBytes, rows * rowBytes).ToArray();
            if (predictor == 2)
            {
                for (int r = 0; r < rows; r++)
                {
                    for (int i = rowBytes - 1; i >= samples; i--) strip[r * rowBytes + i] -= strip[r * rowBytes + i - samples];
                }
            }
            strips.Add(compression switch
            {
                1 => strip,
                32773 => PackBits(strip),
                5 => Lzw(strip),
                _ => Deflate(strip),
            });
        }
        var file = new MemoryStream();
        var w = new BinaryWriter(file);
        w.Write("II"u8);
        w.Write((ushort)42);
        w.Write(0u); // IFD offset, patched below
        var stripOffsets = new List<uint>();
        foreach (var s in strips)
        {
            stripOffsets.Add((uint)file.Position);
            w.Write(s);
        }
        uint colorMapOffset = (uint)file.Position;
        if (colorMap is not null) foreach (ushort v in colorMap) w.Write(v);
        uint offsetsAt = (uint)file.Position;
        foreach (uint o in stripOffsets) w.Write(o);
        uint countsAt = (uint)file.Position;
        foreach (var s in strips) w.Write((uint)s.Length);
        uint bitsAt = (uint)file.Position;
        for (int i = 0; i < samples; i++) w.Write((ushort)bitsPerSample);
        if (file.Position % 2 == 1) w.Write((byte)0);
        uint ifd = (uint)file.Position;
        var entries = new List<(ushort Tag, ushort Type, uint Count, uint Value)>
        {
            (256, 4, 1, (uint)width),
            (257, 4, 1, (uint)height),
            (258, 3, (uint)samples, samples == 1 ? (uint)bitsPerSample : bitsAt),
            (259, 3, 1, (uint)compression),
            (262, 3, 1, (uint)photometric),
            (273, 4, (uint)strips.Count, strips.Count == 1 ? stripOffsets[0] : offsetsAt),
            (277, 3, 1, (uint)samples),
            (278, 4, 1, (uint)rowsPerStrip),
            (279, 4, (uint)strips.Count, strips.Count == 1 ? (uint)strips[0].Length : countsAt),
            (317, 3, 1, (uint)predictor),
        };
        if (colorMap is not null) entries.Add((320, 3, (uint)colorMap.Length, colorMapOffset));
        if (extraSamples >= 0) entries.Add((338, 3, 1, (uint)extraSamples));
        entries.Sort((a, b) => a.Tag.CompareTo(b.Tag));
        w.Write((ushort)entries.Count);
        foreach (var (tag, type, count, value) in entries)
        {
            w.Write(tag);
            w.Write(type);
            w.Write(count);
            if (type == 3 && count == 1)
            {
                w.Write((ushort)value);
                w.Write((ushort)0);
            }
            else w.Write(value);
        }
        w.Write(0u);
        file.Position = 4;
        w.Write(ifd);
        return file.ToArray();
    }

    private static byte[] PackBits(byte[] data)
    {
        var o = new List<byte>();
        int i = 0;
        while (i < data.Length)
        {
            int run = 1;
            while (i + run < data.Length && run < 128 && data[i + run] == data[i]) run++;
            if (run >= 2)
            {
                o.Add((byte)(sbyte)(1 - run));
                o.Add(data[i]);
                i += run;
            }
            else
            {
                int n = Math.Min(128, data.Length - i);
                o.Add((byte)(n - 1));
                o.AddRange(data.AsSpan(i, n).ToArray());
                i += n;
            }
        }
        return [.. o];
    }

    private static byte[] Deflate(byte[] data)
    {
        var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    /// <summary>TIFF LZW encoder as libtiff writes it: MSB-first, Clear first, widen when the next code would not fit, Clear at 4094.</summary>
    private static byte[] Lzw(byte[] data)
    {
        var output = new List<byte>();
        int bitBuffer = 0, bitCount = 0, width = 9, next = 258;
        var table = new Dictionary<(int, byte), int>();
        void Put(int code)
        {
            bitBuffer = (bitBuffer << width) | code;
            bitCount += width;
            while (bitCount >= 8)
            {
                output.Add((byte)(bitBuffer >> (bitCount - 8)));
                bitCount -= 8;
            }
            bitBuffer &= (1 << bitCount) - 1;
        }
        Put(256);
        int current = -1;
        foreach (byte b in data)
        {
            if (current < 0)
            {
                current = b;
                continue;
            }
            if (table.TryGetValue((current, b), out int code))
            {
                current = code;
                continue;
            }
            Put(current);
            table[(current, b)] = next++;
            if (next >= 4094)
            {
                Put(256);
                table.Clear();
                next = 258;
                width = 9;
            }
            else if (next >= 1 << width && width < 12)
            {
                width++; // libtiff's encoder widens one code later than the decoder notices: the decoder lags by one entry
            }
            current = b;
        }
        if (current >= 0) Put(current);
        Put(257);
        if (bitCount > 0) output.Add((byte)(bitBuffer << (8 - bitCount)));
        return [.. output];
    }
}
