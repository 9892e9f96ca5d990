using System.Text;
using GenMetrics.Checkpoints;
using GenMetrics.Numerics;

namespace GenMetrics.Statistics;

/// <summary>
/// Statistics files (<c>.npz</c>): <c>mu</c> (float64 d) and <c>sigma</c> (float64 d×d) as pytorch-fid's
/// <c>--save-stats</c> writes and reads them, plus, when written here, <c>n</c> (int64 0-d), <c>sum_float32</c>
/// (float32 d), the provenance <c>protocol</c>, <c>weights</c>, <c>layer</c> and <c>format_version</c> (int64 0-d,
/// <see cref="FormatVersion"/>); <c>sum</c> (float64 d) and <c>sum_xxT</c> (float64 d×d) on request
/// (<see cref="StatsFileOptions.IncludeSums"/>). Members are deflated by default, as numpy's <c>savez_compressed</c>.
/// </summary>
/// <remarks>
/// numpy cannot store Python strings in an .npz without pickling, so the provenance strings are uint8
/// arrays of UTF-8 bytes (<c>bytes(np.load(f)['protocol']).decode()</c> reads them back). Files with only
/// <c>mu</c> and <c>sigma</c> (plain pytorch-fid) read fine, with unknown count and provenance.
/// Writes go to a temporary file that is renamed into place, so a failure never leaves a partial file.
/// </remarks>
public static class StatsFile
{
    /// <summary>Reads a stats file; without <paramref name="includeSums"/> the d×d <c>sum_xxT</c> is skipped (FID does not need it).</summary>
    public static GaussianStatistics Read(string path, bool includeSums = true) => Read(path, includeSums, keepFactor: false, out _);

    /// <summary>
    /// <see cref="Read(string, bool)"/>; with <paramref name="keepFactor"/> sigma's positive semi-definiteness is
    /// checked through its pivoted Cholesky factor (<see cref="CheckCovarianceKeepingFactor"/>), which is returned
    /// for the Fréchet distance to use instead of factoring sigma again.
    /// </summary>
    /// <param name="path">The stats file.</param>
    /// <param name="includeSums">Whether <c>sum_xxT</c> is read.</param>
    /// <param name="keepFactor">Whether sigma's pivoted Cholesky factor is kept (and proves its semi-definiteness).</param>
    /// <param name="covarianceFactor">That factor, or null without <paramref name="keepFactor"/>.</param>
    /// <param name="factorThreads">Cap on the factorisation's threads (-1: all cores; the factor's bits do not depend on it).</param>
    internal static GaussianStatistics Read(string path, bool includeSums, bool keepFactor, out PivotedCholesky.Factor? covarianceFactor,
        int factorThreads = -1)
    {
        // mu and sigma are read straight into float64 arrays; the other members as they are. arr_0 (the images of an
        // ADM batch) is never statistics: it stays compressed on disk.
        var arrays = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        double[]? mean = null, cov = null;
        int[] muShape = [], sigmaShape = [];
        string muDtype = "f8";
        NpzFile.ReadEach(path, key => key != AdmReferenceStatistics.ImagesKey && (includeSums || key != "sum_xxT"), (key, stream, name) =>
        {
            if (key == "mu") mean = NpyFile.ReadFloat64(stream, name, out muShape, out muDtype);
            else if (key == "sigma") cov = NpyFile.ReadFloat64(stream, name, out sigmaShape);
            else arrays[key] = NpyFile.Read(stream, name);
        });
        if (mean is null || cov is null)
        {
            throw new GenMetricsException($"{path}: not a statistics file (needs arrays 'mu' and 'sigma'); create one with 'genmetrics stats' or pytorch-fid --save-stats");
        }
        int d = mean.Length;
        if (muShape.Length != 1 || sigmaShape.Length != 2 || sigmaShape[0] != d || sigmaShape[1] != d)
        {
            throw new GenMetricsException($"{path}: mu has shape ({string.Join(",", muShape)}) and sigma ({string.Join(",", sigmaShape)}); expected (d) and (d,d)");
        }
        if (!AllFinite(cov)) throw new GenMetricsException($"{path}: sigma contains NaN or infinity; recompute the statistics");
        if (!AllFinite(mean)) throw new GenMetricsException($"{path}: mu contains NaN or infinity; recompute the statistics");
        var provenance = new StatsProvenance(Text(arrays, "protocol"), Text(arrays, "weights"), Text(arrays, "layer"));
        if (provenance.Protocol.Length == 0 && AdmReferenceStatistics.IsAdmLayout(path, arrays.Keys))
        {
            // ADM reference batches (mu, sigma, mu_s, sigma_s, often with arr_0) carry no provenance, but their
            // layout says what they are: ADM evaluator pool3 statistics, not pytorch-fid's.
            provenance = AdmReferenceStatistics.Pool3Provenance(provenance.Weights);
        }
        long? count = arrays.TryGetValue("n", out var n) ? ReadCount(n, path) : null;
        if (count is long stored && arrays.TryGetValue("sum", out var storedSum)) CheckMeanMatchesSum(mean, storedSum.ToFloat64(), stored, path);
        covarianceFactor = null;
        if (keepFactor) covarianceFactor = CheckCovarianceKeepingFactor(cov, d, path, factorThreads);
        else CheckCovariance(cov, d, path);
        FeatureStatistics? sums = null;
        float[]? meanFloat32 = null;
        if (count is long c && arrays.TryGetValue("sum", out var sum) && arrays.TryGetValue("sum_xxT", out var sxx))
        {
            float[]? sumF32 = arrays.TryGetValue("sum_float32", out var sf) ? sf.ToFloat32() : null;
            var s = sum.ToFloat64();
            var sx = sxx.ToFloat64();
            if (s.Length != d || sx.Length != (long)d * d) throw new GenMetricsException($"{path}: sum/sum_xxT sizes do not match mu ({d})");
            sums = new FeatureStatistics(c, s, sx, sumF32);
        }
        if (count is long total && total > 0 && arrays.TryGetValue("sum_float32", out var sumFloat32) && sumFloat32.ElementCount == d)
        {
            meanFloat32 = sumFloat32.ToFloat32();
            float nf = total;
            for (int i = 0; i < d; i++) meanFloat32[i] /= nf;
        }
        // A float32 mu is the float32 np.mean that torch-fidelity, clean-fid and ADM keep; use it as stored.
        if (meanFloat32 is null && muDtype == "f4") meanFloat32 = Array.ConvertAll(mean, v => (float)v);
        return new GaussianStatistics(mean, cov, provenance, count, meanFloat32, sums);
    }

    /// <summary>The format version written to <c>format_version</c>: 2 (sums optional, compressed by default); files without the key are version 1.</summary>
    public const long FormatVersion = 2;

    /// <summary>
    /// Writes a stats file (atomically): <c>mu</c>, <c>sigma</c>, and when known <c>n</c> and <c>sum_float32</c>, the
    /// provenance and <c>format_version</c>; deflated and without the raw sums unless <paramref name="options"/> say
    /// otherwise (<see cref="StatsFileOptions"/>).
    /// </summary>
    /// <exception cref="GenMetricsException">Sums were asked for but the sample count is unknown.</exception>
    public static void Write(string path, GaussianStatistics stats, StatsFileOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stats);
        options ??= StatsFileOptions.Default;
        int d = stats.Dimension;
        var arrays = new List<KeyValuePair<string, NpyArray>>
        {
            new("mu", NpyArray.FromFloat64(stats.Mean, d)),
            new("sigma", NpyArray.FromFloat64(stats.Covariance, d, d)),
        };
        long? count = stats.Sums?.Count ?? stats.Count;
        if (count is long n)
        {
            arrays.Add(new("n", NpyArray.FromInt64([n])));
            if (SumFloat32Of(stats, n) is { } sumFloat32) arrays.Add(new("sum_float32", NpyArray.FromFloat32(sumFloat32, d)));
        }
        if (options.IncludeSums)
        {
            if (count is not long total)
            {
                throw new GenMetricsException($"{path}: the statistics have no sample count n, so their sums cannot be written; write them without sums");
            }
            // Without stored sums, the ones n, μ and Σ determine (Σx = nμ, Σxxᵀ = (n − 1)Σ + nμμᵀ).
            var sums = stats.Sums ?? FeatureStatistics.FromMoments(total, stats.Mean, stats.Covariance, null);
            arrays.Add(new("sum", NpyArray.FromFloat64(sums.Sum(), d)));
            arrays.Add(new("sum_xxT", NpyArray.FromFloat64(sums.SumOfOuterProducts(), d, d)));
        }
        AddText(arrays, "protocol", stats.Provenance.Protocol);
        AddText(arrays, "weights", stats.Provenance.Weights);
        AddText(arrays, "layer", stats.Provenance.Layer);
        arrays.Add(new("format_version", NpyArray.FromInt64([FormatVersion])));
        NpzFile.Write(path, arrays, options.Compress);
    }

    /// <summary>
    /// The float32 row-order sum of a stats file (<c>sum_float32</c>), or null when it has none; read on its own, for
    /// merging (<see cref="StatisticsMerge"/>), without decompressing the other members.
    /// </summary>
    internal static float[]? ReadSumFloat32(string path)
    {
        var arrays = NpzFile.Read(path, key => key == "sum_float32");
        return arrays.TryGetValue("sum_float32", out var sum) ? sum.ToFloat32() : null;
    }

    /// <summary>torch-fidelity's float32 row-order sum: from the sums, as merged, or (last resort) the float32 of n × float32 μ.</summary>
    private static float[]? SumFloat32Of(GaussianStatistics stats, long n)
    {
        if (stats.Sums is { } sums) return sums.SumFloat32();
        if (stats.SumFloat32 is { } merged) return merged;
        if (stats.MeanFloat32 is not { } mean) return null;
        var sum = new float[mean.Length];
        float nf = n;
        for (int i = 0; i < sum.Length; i++) sum[i] = mean[i] * nf;
        return sum;
    }

    /// <summary><c>n</c>: one element, a whole number, at least 1.</summary>
    private static long ReadCount(NpyArray n, string path)
    {
        if (n.ElementCount != 1) throw new GenMetricsException($"{path}: n holds {n.ElementCount} values; expected one positive integer (the image count)");
        double value = n.ToFloat64()[0];
        if (!double.IsFinite(value) || value < 1 || value != Math.Floor(value) || value > long.MaxValue)
        {
            throw new GenMetricsException($"{path}: n is {value.ToString(System.Globalization.CultureInfo.InvariantCulture)}; expected a positive integer (the image count)");
        }
        return n.Dtype == "i8" ? n.ToInt64()[0] : (long)value;
    }

    /// <summary>
    /// <c>n</c> must be the count the sums were taken over: <c>sum / n</c> equals <c>mu</c> (as written here, exactly;
    /// 1e-6 of the largest |mu| allows other writers' rounding). An edited <c>n</c> would otherwise weight this
    /// file wrongly in <c>merge-stats</c> while FID, which reads only mu and sigma, looked fine.
    /// </summary>
    private static void CheckMeanMatchesSum(double[] mean, double[] sum, long n, string path)
    {
        if (sum.Length != mean.Length) throw new GenMetricsException($"{path}: sum has {sum.Length} values but mu has {mean.Length}; recompute the statistics");
        double scale = 0;
        foreach (double x in mean) scale = Math.Max(scale, Math.Abs(x));
        double tolerance = Math.Max(1e-6 * scale, 1e-12);
        for (int i = 0; i < mean.Length; i++)
        {
            double implied = sum[i] / n;
            if (!(Math.Abs(implied - mean[i]) <= tolerance))
            {
                throw new GenMetricsException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{path}: n = {n} does not match the stored sums (sum[{i}] / n = {implied:G6}, mu[{i}] = {mean[i]:G6}); recompute the statistics with 'genmetrics stats'"));
            }
        }
    }

    /// <summary>
    /// sigma must be symmetric (|s_ij - s_ji| within 1e-6 of the largest |s|) and positive semi-definite within
    /// rounding (no eigenvalue below -1e-5 x the largest |eigenvalue|, -1e-9 when all are zero).
    /// </summary>
    internal static void CheckCovariance(double[] cov, int d, string path)
    {
        CheckSymmetric(cov, d, path);
        CheckPositiveSemiDefinite(cov, d, path);
    }

    /// <summary>
    /// <see cref="CheckCovariance"/> that also returns the pivoted Cholesky factor of sigma (the one
    /// <see cref="Metrics.FrechetDistance"/> needs). A factor of full rank d proves the eigenvalue rule on its own: the
    /// computed factor is the exact one of PΣPᵀ + E with ‖E‖₂ ≲ d²·ε·‖Σ‖₂ (Cholesky backward error,
    /// |E| ≤ γ_{d+1}|Uᵀ||U|), and UᵀU is positive definite, so λmin(Σ) ≥ −‖E‖₂ ≈ −5e-10·max|λ| at d = 2048, far
    /// above −1e-5·max|λ|. Below full rank (n &lt; d statistics) the shifted-Cholesky proof and the eigensolve decide,
    /// as in <see cref="CheckCovariance"/>, so the accepted set and the messages are the same.
    /// </summary>
    internal static PivotedCholesky.Factor CheckCovarianceKeepingFactor(double[] cov, int d, string path, int maxThreads = -1)
    {
        CheckSymmetric(cov, d, path);
        var factor = PivotedCholesky.Decompose((double[])cov.Clone(), d, maxThreads);
        if (factor.Rank < d) CheckPositiveSemiDefinite(cov, d, path);
        return factor;
    }

    /// <summary>Whether no value is NaN or ±∞ (compiled optimised at once: it scans d² values once per process).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool AllFinite(double[] values)
    {
        foreach (double x in values)
        {
            if (!double.IsFinite(x)) return false;
        }
        return true;
    }

    /// <summary>|s_ij − s_ji| within 1e-6 of the largest |s|, or an error naming the first pair in row-major order.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void CheckSymmetric(double[] cov, int d, string path)
    {
        double scale = 0;
        foreach (double x in cov) scale = Math.Max(scale, Math.Abs(x));
        if (!IsSymmetricWithin(cov, d, 1e-6 * scale))
        {
            // Report the first pair in row-major order, as the rule reads.
            for (int i = 0; i < d; i++)
            {
                for (int j = i + 1; j < d; j++)
                {
                    double gap = Math.Abs(cov[(i * d) + j] - cov[(j * d) + i]);
                    if (gap > 1e-6 * scale)
                    {
                        throw new GenMetricsException($"{path}: sigma is not symmetric (sigma[{i},{j}] and sigma[{j},{i}] differ by {gap:G3}, dimension {d}); recompute the statistics");
                    }
                }
            }
        }
    }

    /// <summary>No eigenvalue below −1e-5 × the largest |eigenvalue| (−1e-9 when all are zero), or an error naming it.</summary>
    private static void CheckPositiveSemiDefinite(double[] cov, int d, string path)
    {
        if (IsPositiveSemiDefiniteByShiftedCholesky(cov, d)) return;
        double[] eigenvalues = SymmetricEigenvalues.ComputeInPlace((double[])cov.Clone(), d);
        double largest = 0;
        foreach (double v in eigenvalues) largest = Math.Max(largest, Math.Abs(v));
        double min = eigenvalues.Length == 0 ? 0 : eigenvalues.Min();
        if (min < -Math.Max(1e-5 * largest, 1e-9))
        {
            throw new GenMetricsException($"{path}: sigma is not positive semi-definite (eigenvalue {min:G6}, largest {largest:G6}, dimension {d}); recompute the statistics");
        }
    }

    /// <summary>
    /// Whether |s_ij − s_ji| ≤ <paramref name="tolerance"/> for all i &lt; j, compared in 64×64 tiles so that the
    /// transposed reads stay within a few pages (a row-major scan reads the transpose one page per element).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static bool IsSymmetricWithin(double[] cov, int d, double tolerance)
    {
        const int Tile = 64;
        for (int i0 = 0; i0 < d; i0 += Tile)
        {
            int i1 = Math.Min(d, i0 + Tile);
            for (int j0 = i0; j0 < d; j0 += Tile)
            {
                int j1 = Math.Min(d, j0 + Tile);
                for (int i = i0; i < i1; i++)
                {
                    long row = (long)i * d;
                    for (int j = Math.Max(j0, i + 1); j < j1; j++)
                    {
                        if (Math.Abs(cov[row + j] - cov[(long)j * d + i]) > tolerance) return false;
                    }
                }
            }
        }
        return true;
    }

    /// <summary>
    /// The cheap happy path of <see cref="CheckCovariance"/>: true when the Cholesky factorisation of Σ + δI runs to
    /// full rank, which proves that no eigenvalue of Σ lies below the eigenvalue rule's threshold; false means "not
    /// proven" and the caller decides with the eigensolve (so the accepted set and the error message are unchanged).
    /// </summary>
    /// <remarks>
    /// Let m = max diag Σ. For symmetric Σ, λmax ≥ m (λmax = max over unit x of xᵀΣx ≥ e_iᵀΣe_i), so the rule's
    /// threshold 1e-5·max|λ| is at least 1e-5·m. The shift is δ = 1e-6·m, a tenth of that bound. The factorisation
    /// of Σ + δI, when it succeeds in floating point, is the exact factorisation of Σ + δI + E with
    /// ‖E‖₂ ≤ c·d·ε·m (the standard Cholesky backward error, c a small constant); the pivot tolerance n·ε·max diag
    /// of <see cref="PivotedCholesky"/> adds a term of the same size (the factorisation runs unpivoted: the bound
    /// holds in any order). Hence success gives
    /// λmin(Σ) ≥ −δ − O(d·ε·m) ≥ −(1e-6 + 2048·4·2.2e-16)·m > −1e-5·m ≥ −1e-5·max|λ|: Σ passes the eigenvalue rule.
    /// The shift is far above rounding, so rank-deficient covariances (n &lt; d: exact-zero eigenvalues plus
    /// ±d·ε·λmax noise) also succeed here instead of taking the slow path. When m ≤ 0 nothing is proven.
    /// Cost: one Cholesky (d³/3 flops) on a copy, against the eigensolve's ≈ 4d³/3 plus its QL.
    /// </remarks>
    private static bool IsPositiveSemiDefiniteByShiftedCholesky(double[] cov, int d)
    {
        double maxDiag = 0;
        for (int i = 0; i < d; i++) maxDiag = Math.Max(maxDiag, cov[(long)i * d + i]);
        if (!(maxDiag > 0)) return false;
        double shift = 1e-6 * maxDiag;
        double[] work = System.Buffers.ArrayPool<double>.Shared.Rent(d * d);
        try
        {
            Array.Copy(cov, work, d * d);
            for (int i = 0; i < d; i++) work[(long)i * d + i] += shift;
            // Unpivoted: the backward-error argument holds in any order, and no pivot search or swaps are needed.
            return PivotedCholesky.Decompose(work, d, pivot: false).Rank == d;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(work);
        }
    }

    internal static void AddText(List<KeyValuePair<string, NpyArray>> arrays, string key, string value)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(value);
        arrays.Add(new(key, NpyArray.FromUInt8(bytes, bytes.Length)));
    }

    internal static string Text(IReadOnlyDictionary<string, NpyArray> arrays, string key)
    {
        if (!arrays.TryGetValue(key, out var a)) return "";
        if (a.Dtype != "u1") return "";
        return Encoding.UTF8.GetString(a.Data);
    }
}
