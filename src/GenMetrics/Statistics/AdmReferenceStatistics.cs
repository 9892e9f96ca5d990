using GenMetrics.Checkpoints;
using GenMetrics.Networks;

namespace GenMetrics.Statistics;

/// <summary>
/// The statistics of an ADM reference batch (guided-diffusion <c>evaluations/evaluator.py</c>,
/// <c>Evaluator.read_statistics</c>): <c>mu</c>/<c>sigma</c> of the 2048-d pool3 activations and
/// <c>mu_s</c>/<c>sigma_s</c> of the 2023-d spatial (sFID) features; the evaluator uses them instead of computing
/// statistics whenever <c>mu</c> is present. μ is float32 (<c>np.mean</c> of float32 activations), Σ float64
/// (<c>np.cov</c>, N−1).
/// </summary>
public static class AdmReferenceStatistics
{
    /// <summary>The ADM batch member holding the images.</summary>
    public const string ImagesKey = "arr_0";

    /// <summary>Provenance layer name of the spatial statistics.</summary>
    public const string SpatialLayer = "spatial";

    /// <summary>The pool3 half of an ADM reference batch: its μ, Σ and (when written here) provenance.</summary>
    /// <exception cref="GenMetricsException">The file has no mu/sigma, or they are malformed.</exception>
    public static GaussianStatistics ReadPool3(string path) => StatsFile.Read(path, includeSums: false);

    /// <summary>The spatial (sFID) half: <c>mu_s</c> (2023) and <c>sigma_s</c> (2023×2023).</summary>
    /// <exception cref="GenMetricsException">mu_s or sigma_s is missing, malformed, not finite or not a covariance.</exception>
    public static GaussianStatistics ReadSpatial(string path)
    {
        var arrays = NpzFile.Read(path, key => key is "mu_s" or "sigma_s" or "protocol" or "weights" or "n");
        bool hasMu = arrays.TryGetValue("mu_s", out var mu), hasSigma = arrays.TryGetValue("sigma_s", out var sigma);
        if (!hasMu || !hasSigma)
        {
            string missing = !hasMu && !hasSigma ? "mu_s and sigma_s" : hasMu ? "sigma_s" : "mu_s";
            throw new GenMetricsException($"{path}: has no {missing}, so sFID cannot use it; an ADM reference batch holds mu, sigma, mu_s and sigma_s (write one with 'genmetrics stats --protocol adm')");
        }
        var mean = mu!.ToFloat64();
        int d = mean.Length;
        if (mu.Shape.Length != 1 || sigma!.Shape.Length != 2 || sigma.Shape[0] != d || sigma.Shape[1] != d)
        {
            throw new GenMetricsException($"{path}: mu_s has shape ({string.Join(",", mu.Shape)}) and sigma_s ({string.Join(",", sigma!.Shape)}); expected (d) and (d,d)");
        }
        var cov = sigma.ToFloat64();
        if (mean.Any(v => !double.IsFinite(v)) || cov.Any(v => !double.IsFinite(v)))
        {
            throw new GenMetricsException($"{path}: mu_s or sigma_s contains NaN or infinity; recompute the statistics");
        }
        StatsFile.CheckCovariance(cov, d, path);
        string protocol = StatsFile.Text(arrays, "protocol");
        var provenance = new StatsProvenance(protocol.Length == 0 ? Features.KnownProtocols.Adm.Name : protocol, StatsFile.Text(arrays, "weights"), SpatialLayer);
        float[]? meanFloat32 = mu.Dtype == "f4" ? mu.ToFloat32() : null;
        long? count = arrays.TryGetValue("n", out var n) && n.ElementCount == 1 ? (long)n.ToFloat64()[0] : null;
        return new GaussianStatistics(mean, cov, provenance, count, meanFloat32);
    }

    /// <summary>
    /// Writes an ADM-readable reference statistics file (atomically): <c>mu</c> float32, <c>sigma</c> float64,
    /// <c>mu_s</c> float32, <c>sigma_s</c> float64, as the evaluator's <c>compute_statistics</c> produces them, plus
    /// <c>n</c> and the provenance (uint8 UTF-8 arrays <c>protocol</c>, <c>weights</c>, <c>layer</c>), which the
    /// evaluator ignores.
    /// </summary>
    public static void Write(string path, GaussianStatistics pool3, GaussianStatistics spatial) => Write(path, pool3, spatial, null);

    /// <summary>
    /// <see cref="Write(string, GaussianStatistics, GaussianStatistics)"/>, with <c>arr_0</c> (the images, streamed
    /// in order) first when <paramref name="images"/> is given: then the file is a complete ADM reference batch, which
    /// the evaluator's <c>main()</c> also reads for precision/recall.
    /// </summary>
    /// <exception cref="GenMetricsException">An image's size differs from the batch's, or fewer/more images than declared.</exception>
    internal static void Write(string path, GaussianStatistics pool3, GaussianStatistics spatial, AdmImageStack? images)
    {
        ArgumentNullException.ThrowIfNull(pool3);
        ArgumentNullException.ThrowIfNull(spatial);
        int d = pool3.Dimension, ds = spatial.Dimension;
        var arrays = new List<KeyValuePair<string, NpyArray>>
        {
            new("mu", NpyArray.FromFloat32(pool3.MeanFloat32 ?? Array.ConvertAll(pool3.Mean, v => (float)v), d)),
            new("sigma", NpyArray.FromFloat64(pool3.Covariance, d, d)),
            new("mu_s", NpyArray.FromFloat32(spatial.MeanFloat32 ?? Array.ConvertAll(spatial.Mean, v => (float)v), ds)),
            new("sigma_s", NpyArray.FromFloat64(spatial.Covariance, ds, ds)),
        };
        if (pool3.Count is long n) arrays.Add(new("n", NpyArray.FromInt64([n])));
        StatsFile.AddText(arrays, "protocol", pool3.Provenance.Protocol);
        StatsFile.AddText(arrays, "weights", pool3.Provenance.Weights);
        StatsFile.AddText(arrays, "layer", pool3.Provenance.Layer);
        var streamed = new List<(string, Action<Stream>)>();
        if (images is not null) streamed.Add((ImagesKey, images.WriteNpy));
        NpzFile.Write(path, arrays, streamed);
    }

    /// <summary>The provenance of ADM pool3 statistics.</summary>
    internal static StatsProvenance Pool3Provenance(string weights) =>
        new(Features.KnownProtocols.Adm.Name, weights, FidInceptionLayerNames.DimensionsOf(FidInceptionLayer.Pool3).ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Whether an archive with these keys is laid out as an ADM reference batch (spatial statistics or images beside mu).</summary>
    internal static bool IsAdmLayout(string path, IEnumerable<string> keys) =>
        keys.Contains("mu_s") || keys.Contains("sigma_s") || Imaging.AdmBatchFile.IsBatch(path);
}
