using System.Security.Cryptography;

namespace GenMetrics.Weights;

/// <summary>
/// Downloads one file over HTTP(S) to a temporary file beside the target, hashing while writing; on
/// success (complete body, SHA-256 prefix matches) renames it into place, otherwise deletes it.
/// </summary>
internal sealed class WeightsDownloader(HttpMessageHandler? handler)
{
    private const int BufferSize = 1 << 20;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StallTimeout = TimeSpan.FromSeconds(60);

    private readonly HttpMessageHandler? _handler = handler;

    public void Download(Uri url, string target, string sha256Prefix, IProgress<WorkProgress>? progress, string whereToPut, CancellationToken cancellationToken) =>
        DownloadAsync(url, target, sha256Prefix, progress, whereToPut, cancellationToken).GetAwaiter().GetResult();

    private async Task DownloadAsync(Uri url, string target, string sha256Prefix, IProgress<WorkProgress>? progress, string whereToPut, CancellationToken cancellationToken)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(target))!;
        string fileName = Path.GetFileName(target);
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenMetricsException($"{folder}: cannot create the weights cache folder ({e.Message}); set GENMETRICS_CACHE to a writable folder, or {whereToPut}", e);
        }

        string temp = Path.Combine(folder, $".{fileName}.{Guid.NewGuid():N}.partial");
        bool moved = false;
        try
        {
            using var client = _handler is null ? new HttpClient() : new HttpClient(_handler, disposeHandler: false);
            client.Timeout = Timeout.InfiniteTimeSpan;
            using var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connect.CancelAfter(ConnectTimeout);
            using var response = await Send(client, url, connect.Token, whereToPut).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new GenMetricsException($"could not download {fileName} from {url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}; {whereToPut}");
            }
            long? expectedLength = response.Content.Headers.ContentLength;
            string hash;
            long received;
            using (var output = CreateTemp(temp, folder))
            {
                (received, hash) = await Copy(response, output, url, fileName, expectedLength, progress, whereToPut, temp, cancellationToken).ConfigureAwait(false);
            }
            if (expectedLength is long length && received != length)
            {
                throw new GenMetricsException($"download of {fileName} from {url} stopped after {received} of {length} bytes (the partial file was deleted); retry, or {whereToPut}");
            }
            if (!hash.StartsWith(sha256Prefix, StringComparison.Ordinal))
            {
                throw new GenMetricsException(
                    $"{fileName} downloaded from {url} has SHA-256 {hash}, expected it to start with {sha256Prefix}; the file was deleted. The server sent another file: {whereToPut}");
            }
            File.Move(temp, target, overwrite: true);
            moved = true;
        }
        finally
        {
            if (!moved) TryDelete(temp);
        }
    }

    private static async Task<HttpResponseMessage> Send(HttpClient client, Uri url, CancellationToken token, string whereToPut)
    {
        try
        {
            return await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new GenMetricsException($"could not download {url} ({e.Message}); no network? {whereToPut}", e);
        }
        catch (OperationCanceledException e)
        {
            throw new GenMetricsException($"could not download {url} (no answer within {ConnectTimeout.TotalSeconds:F0} s); {whereToPut}", e);
        }
    }

    private static FileStream CreateTemp(string temp, string folder)
    {
        try
        {
            return new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenMetricsException($"{folder}: cannot write to the weights cache folder ({e.Message}); set GENMETRICS_CACHE to a writable folder", e);
        }
    }

    private static async Task<(long Received, string Hash)> Copy(
        HttpResponseMessage response, FileStream output, Uri url, string fileName, long? expectedLength,
        IProgress<WorkProgress>? progress, string whereToPut, string temp, CancellationToken cancellationToken)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        long received = 0;
        string stage = $"download {fileName}";
        progress?.Report(new WorkProgress(stage, 0, expectedLength ?? 0));
        try
        {
            using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                stall.CancelAfter(StallTimeout);
                int n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                if (n == 0) break;
                sha.AppendData(buffer, 0, n);
                WriteChunk(output, buffer.AsSpan(0, n), temp);
                received += n;
                progress?.Report(new WorkProgress(stage, received, expectedLength ?? 0));
            }
            output.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is HttpRequestException or HttpIOException || (e is IOException && e is not CacheWriteException))
        {
            throw new GenMetricsException(
                $"download of {fileName} from {url} broke off after {received}{(expectedLength is long l ? $" of {l}" : "")} bytes ({e.Message}); the partial file was deleted; retry, or {whereToPut}", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GenMetricsException($"download of {fileName} from {url} stalled after {received} bytes; retry, or {whereToPut}", e);
        }
        catch (CacheWriteException e)
        {
            throw new GenMetricsException(e.Message, e);
        }
        return (received, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static void WriteChunk(FileStream output, ReadOnlySpan<byte> chunk, string temp)
    {
        try
        {
            output.Write(chunk);
        }
        catch (IOException e)
        {
            throw new CacheWriteException(IsDiskFull(e)
                ? $"{temp}: the disk is full while downloading weights; free some space or set GENMETRICS_CACHE to a folder on another disk"
                : $"{temp}: cannot write the download ({e.Message}); set GENMETRICS_CACHE to a writable folder", e);
        }
    }

    /// <summary>ENOSPC (28) on Unix; ERROR_HANDLE_DISK_FULL (39) / ERROR_DISK_FULL (112) on Windows.</summary>
    private static bool IsDiskFull(IOException e) => (e.HResult & 0xFFFF) is 28 or 39 or 112;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The partial file stays behind under a hidden .partial name; it is never mistaken for weights.
        }
    }

    /// <summary>A write failure of the temporary file, kept apart from network read failures.</summary>
    private sealed class CacheWriteException(string message, Exception inner) : IOException(message, inner);
}
