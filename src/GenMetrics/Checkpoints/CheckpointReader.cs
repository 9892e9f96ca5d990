using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace GenMetrics.Checkpoints;

/// <summary>
/// Reads PyTorch checkpoints (<c>.pth</c> in the zip and the legacy format) and <c>.safetensors</c> files
/// into a <see cref="StateDict"/>, choosing the reader from the first bytes of the file.
/// </summary>
/// <remarks>
/// Nothing in the file is executed. Pickles are decoded by a restricted machine that accepts only the
/// globals a state dict needs (<c>collections.OrderedDict</c>, <c>torch._utils._rebuild_tensor[_v2]</c>,
/// <c>torch._utils._rebuild_parameter</c>, the <c>torch.*Storage</c> types); any other global is refused
/// with an error naming it. Storage locations such as <c>'cuda:0'</c> are ignored, as with
/// <c>torch.load(map_location='cpu')</c>. Values are exact: every tensor equals what <c>torch.load</c>
/// returns bit for bit (tested on the format fixtures, including shared, strided, offset, 0-d and empty
/// tensors and float16/bfloat16/float64/int/bool dtypes).
/// </remarks>
public static class CheckpointReader
{
    /// <summary>Reads every tensor of a checkpoint file.</summary>
    /// <param name="path">A <c>.pth</c>/<c>.pt</c>/<c>.bin</c> file written by <c>torch.save</c>, or a <c>.safetensors</c> file.</param>
    /// <exception cref="GenMetricsException">
    /// The file is missing, truncated, not a checkpoint, names a forbidden global, or is damaged; the
    /// message names the file, the problem and the fix.
    /// </exception>
    public static StateDict Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new GenMetricsException($"{path}: file not found; pass the path of a .pth or .safetensors weights file");
        }
        FileKindPolicy.RequireRegularInput(path);
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            return Read(file, path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GenMetricsException($"{path}: permission denied while reading the checkpoint; make the file readable", e);
        }
        catch (IOException e)
        {
            throw new GenMetricsException($"{path}: cannot read the checkpoint ({e.Message})", e);
        }
    }

    /// <summary>Reads every tensor of a checkpoint held in a stream (e.g. an embedded resource).</summary>
    /// <param name="stream">The file's bytes from its start; a stream that cannot seek is first copied to memory. Left open.</param>
    /// <param name="name">Names the checkpoint in messages and in <see cref="StateDict.SourcePath"/>.</param>
    /// <exception cref="GenMetricsException">As for <see cref="Read(string)"/>.</exception>
    public static StateDict Read(Stream stream, string name)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(name);
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        try
        {
            long start = stream.Position;
            var format = DetectFormat(stream, name);
            stream.Position = start;
            return format switch
            {
                CheckpointFormat.TorchZip => ZipCheckpointFile.Read(stream, name),
                CheckpointFormat.TorchLegacy => LegacyCheckpointFile.Read(stream, name),
                _ => SafetensorsFile.Read(stream, name),
            };
        }
        catch (CheckpointFormatException e)
        {
            throw new GenMetricsException($"{name}: {e.Message}; {e.Fix}", e);
        }
        catch (EndOfStreamException e)
        {
            throw new GenMetricsException($"{name}: the checkpoint is truncated (the file ends too early); download or copy it again", e);
        }
        catch (InvalidDataException e)
        {
            throw new GenMetricsException($"{name}: the zip checkpoint is damaged or truncated ({e.Message}); download or copy it again", e);
        }
        catch (JsonException e)
        {
            throw new GenMetricsException($"{name}: the safetensors header is not valid JSON ({e.Message}); download or export it again", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new GenMetricsException($"{name}: permission denied while reading the checkpoint; make the file readable", e);
        }
        catch (IOException e)
        {
            throw new GenMetricsException($"{name}: cannot read the checkpoint ({e.Message})", e);
        }
        catch (Exception e) when (e is OverflowException or FormatException or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new GenMetricsException($"{name}: the checkpoint is damaged ({e.Message}); download or export it again", e);
        }
    }

    /// <summary>Tells the format from the first bytes: "PK\x03\x04" zip; PROTO + LONG1 of 10 bytes (the torch magic) legacy; a plausible header length followed by '{' safetensors.</summary>
    private static CheckpointFormat DetectFormat(Stream stream, string name)
    {
        Span<byte> head = stackalloc byte[9];
        long length = stream.Length - stream.Position;
        head = head[..stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false)];
        if (head.Length >= 4 && head[0] == (byte)'P' && head[1] == (byte)'K' && head[2] is 3 or 5 && head[3] is 4 or 6) return CheckpointFormat.TorchZip;
        if (head.Length >= 4 && head[0] == 0x80 && head[2] == 0x8a && head[3] == 0x0a) return CheckpointFormat.TorchLegacy;
        if (head.Length == 9 && head[8] == (byte)'{' && BinaryPrimitives.ReadUInt64LittleEndian(head) <= (ulong)(length - 8)) return CheckpointFormat.Safetensors;
        string first = Convert.ToHexString(head[..Math.Min(4, head.Length)]);
        throw new GenMetricsException(
            length == 0
                ? $"{name}: the file is empty, not a checkpoint; download or copy the weights again"
                : $"{name}: not a PyTorch checkpoint (.pth zip or legacy format) or .safetensors file (it starts with bytes {first}); pass the weights file itself");
    }
}
