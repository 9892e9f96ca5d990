namespace GenMetrics.Numerics;

/// <summary>
/// Euclidean distances between the rows of X (nx×d) and Y (ny×d), produced in blocks of rows of X so that
/// memory stays O(block·ny) (10k×10k never materialises): ‖x−y‖² = ‖x‖² + ‖y‖² − 2·x·y via
/// <see cref="MatrixProduct"/>, clamped at 0 (sklearn's <c>euclidean_distances</c> formula, float64).
/// When X and Y are the same set the diagonal is exactly 0, as sklearn sets it.
/// </summary>
internal static class PairwiseDistanceBlocks
{
    /// <summary>Rows of X per block.</summary>
    public const int BlockRows = 384;

    /// <summary>Calls <paramref name="consume"/>(firstRow, rows, squaredDistances[rows×ny]) for each block, in order.</summary>
    public static void ForEachBlock(double[] x, int nx, double[] y, int ny, int d, bool sameSet,
        Action<int, int, double[]> consume, int maxThreads = -1)
    {
        var normX = SquaredNorms(x, nx, d);
        var normY = sameSet ? normX : SquaredNorms(y, ny, d);
        var block = new double[(long)Math.Min(BlockRows, nx) * ny];
        for (int start = 0; start < nx; start += BlockRows)
        {
            int rows = Math.Min(BlockRows, nx - start);
            Array.Clear(block, 0, rows * ny);
            MatrixProduct.MultiplyAdd(x, start * d, d, false, y, 0, d, true, block, 0, ny, rows, ny, d, maxThreads: maxThreads);
            for (int r = 0; r < rows; r++)
            {
                double nxr = normX[start + r];
                long rowBase = (long)r * ny;
                for (int j = 0; j < ny; j++)
                {
                    double v = nxr + normY[j] - 2 * block[rowBase + j];
                    block[rowBase + j] = v > 0 ? v : 0;
                }
                if (sameSet) block[rowBase + start + r] = 0;
            }
            consume(start, rows, block);
        }
    }

    private static double[] SquaredNorms(double[] x, int n, int d)
    {
        var norms = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < d; j++) s += x[(long)i * d + j] * x[(long)i * d + j];
            norms[i] = s;
        }
        return norms;
    }
}
