namespace GenMetrics.Weights;

/// <summary>
/// Finds a weights file: the explicit path, else GenMetrics' cache, else torch.hub's cache, else a
/// download into GenMetrics' cache (temporary file, SHA-256 prefix check, atomic rename).
/// </summary>
/// <remarks>
/// Environment (<see cref="FromEnvironment"/>): <c>GENMETRICS_CACHE</c>, <c>XDG_CACHE_HOME</c>,
/// <c>TORCH_HOME</c> choose the folders (<see cref="WeightsCacheFolders"/>);
/// <c>GENMETRICS_WEIGHTS_URL</c> replaces the download source with a mirror folder (the file is fetched
/// from <c>{GENMETRICS_WEIGHTS_URL}/{file name}</c>); <c>GENMETRICS_OFFLINE=1</c> forbids downloads.
/// </remarks>
public sealed class WeightsResolver
{
    private readonly WeightsDownloader _downloader;

    /// <summary>Creates a resolver over explicit folders.</summary>
    /// <param name="folders">The cache folders to search (and to download into).</param>
    /// <param name="mirrorBaseUrl">When set, downloads come from <c>{mirrorBaseUrl}/{file name}</c> instead of each file's canonical URL.</param>
    /// <param name="offline">When true, a missing file is an error instead of a download.</param>
    /// <param name="httpHandler">The HTTP stack to use (default: a new <see cref="HttpClientHandler"/>).</param>
    public WeightsResolver(WeightsCacheFolders folders, Uri? mirrorBaseUrl = null, bool offline = false, HttpMessageHandler? httpHandler = null)
    {
        ArgumentNullException.ThrowIfNull(folders);
        Folders = folders;
        MirrorBaseUrl = mirrorBaseUrl;
        Offline = offline;
        _downloader = new WeightsDownloader(httpHandler);
    }

    /// <summary>The folders searched.</summary>
    public WeightsCacheFolders Folders { get; }

    /// <summary>The mirror that replaces canonical URLs, or null.</summary>
    public Uri? MirrorBaseUrl { get; }

    /// <summary>True when downloads are disabled.</summary>
    public bool Offline { get; }

    /// <summary>A resolver configured from the process environment (see remarks).</summary>
    public static WeightsResolver FromEnvironment()
    {
        string? mirror = Environment.GetEnvironmentVariable("GENMETRICS_WEIGHTS_URL");
        Uri? mirrorUrl = null;
        if (!string.IsNullOrWhiteSpace(mirror) && !Uri.TryCreate(mirror, UriKind.Absolute, out mirrorUrl))
        {
            throw new GenMetricsException($"GENMETRICS_WEIGHTS_URL='{mirror}' is not an absolute URL; set it to e.g. http://host/weights or unset it");
        }
        string? offline = Environment.GetEnvironmentVariable("GENMETRICS_OFFLINE");
        return new WeightsResolver(WeightsCacheFolders.FromEnvironment(), mirrorUrl, offline is "1" or "true" or "yes");
    }

    /// <summary>The address a download of <paramref name="weight"/> uses.</summary>
    public Uri DownloadUrl(KnownWeight weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (MirrorBaseUrl is null) return weight.Url;
        string root = MirrorBaseUrl.AbsoluteUri.TrimEnd('/');
        return new Uri(root + "/" + Uri.EscapeDataString(weight.FileName));
    }

    /// <summary>Looks for the file without downloading: explicit path, GenMetrics cache, torch.hub cache.</summary>
    /// <exception cref="GenMetricsException">An explicit path was given but does not exist.</exception>
    public WeightsLocation Locate(KnownWeight weight, string? explicitPath = null)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (explicitPath is not null)
        {
            if (!File.Exists(explicitPath))
            {
                throw new GenMetricsException($"{explicitPath}: weights file not found; pass an existing {weight.Name} file ({weight.FileName}), or no path to use the cache or download") { ParameterName = nameof(explicitPath) };
            }
            return new WeightsLocation(Path.GetFullPath(explicitPath), WeightsSource.Explicit);
        }
        foreach (var (folder, source) in new[] { (Folders.GenMetricsCache, WeightsSource.GenMetricsCache), (Folders.TorchHubCheckpoints, WeightsSource.TorchHubCache) })
        {
            foreach (string name in weight.AllFileNames)
            {
                string candidate = Path.Combine(folder, name);
                if (File.Exists(candidate) && new FileInfo(candidate).Length > 0) return new WeightsLocation(Path.GetFullPath(candidate), source);
            }
        }
        return new WeightsLocation(null, WeightsSource.NotFound);
    }

    /// <summary>Returns a local path of the weights, downloading them into GenMetrics' cache when no copy is found.</summary>
    /// <param name="weight">Which weights.</param>
    /// <param name="explicitPath">A path given by the user; used as is, without a hash check. A file found in a
    /// cache is checked against the registry's SHA-256 prefix (<see cref="KnownWeight.Sha256Prefix"/>; none for weights without a
    /// published hash), hashed once per process.</param>
    /// <param name="progress">Download progress in bytes (stage "download &lt;file&gt;").</param>
    /// <param name="cancellationToken">Cancels a download.</param>
    /// <exception cref="GenMetricsException">A cached file has another SHA-256 than the registry's; or not found and not downloadable (offline, no network, HTTP error, hash mismatch, cache not writable, disk full); the message says where to put the file.</exception>
    public WeightsLocation Resolve(KnownWeight weight, string? explicitPath = null, IProgress<WorkProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var found = Locate(weight, explicitPath);
        if (found.Source is WeightsSource.GenMetricsCache or WeightsSource.TorchHubCache) RequireRegistryHash(weight, found.Path!);
        if (found.Source != WeightsSource.NotFound) return found;
        if (Offline)
        {
            throw new GenMetricsException($"{weight.FileName} is not cached and downloads are off (GENMETRICS_OFFLINE); {WhereToPut(weight)}");
        }
        string target = Path.Combine(Folders.GenMetricsCache, weight.FileName);
        _downloader.Download(DownloadUrl(weight), target, weight.Sha256Prefix, progress, WhereToPut(weight), cancellationToken);
        return new WeightsLocation(Path.GetFullPath(target), WeightsSource.Downloaded);
    }

    /// <summary>
    /// A cached file under a registry name must have the registry's hash prefix (as a download must): another file
    /// there (a truncated copy, another port saved under the canonical name) would give other numbers without a word.
    /// </summary>
    private static void RequireRegistryHash(KnownWeight weight, string path)
    {
        if (weight.Sha256Prefix.Length == 0) return;
        string hash;
        try
        {
            hash = WeightsFileHash.Sha256(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GenMetricsException($"{path}: cannot read the cached weights file ({e.Message}); delete it so it is downloaded again, or give the path of a good copy explicitly", e);
        }
        if (!hash.StartsWith(weight.Sha256Prefix, StringComparison.Ordinal))
        {
            throw new GenMetricsException(
                $"{path}: SHA-256 {hash} does not match {weight.Name} (expected {weight.Sha256Prefix}…); delete the file so it is downloaded again, or give its path explicitly to use it anyway");
        }
    }

    /// <summary>
    /// <paramref name="explicitPath"/> when given, else the path <see cref="Resolve"/> finds with the environment's
    /// resolver; a failure carries <paramref name="parameterName"/>, the setting through which a path can be given.
    /// </summary>
    internal static string ExplicitOrResolved(string? explicitPath, KnownWeight weight, IProgress<WorkProgress>? progress, string parameterName)
    {
        if (explicitPath is not null) return explicitPath;
        try
        {
            return FromEnvironment().Resolve(weight, null, progress).Path!;
        }
        catch (GenMetricsException e) when (e.ParameterName is null)
        {
            e.ParameterName = parameterName;
            throw;
        }
    }

    /// <summary>The "how to fix it by hand" sentence used in every failure message.</summary>
    public string WhereToPut(KnownWeight weight)
    {
        ArgumentNullException.ThrowIfNull(weight);
        return $"download {weight.Url} yourself and put it at {Path.Combine(Folders.GenMetricsCache, weight.FileName)} " +
            $"or {Path.Combine(Folders.TorchHubCheckpoints, weight.FileName)}, or pass the file's path";
    }
}
