using System.Numerics;

namespace GenMetrics.Numerics;

/// <summary>
/// Euclidean distances between the rows of X (nx×d) and Y (ny×d), produced in blocks of rows of X so that
/// memory stays O(block·ny) (10k×10k never materialises): ‖x−y‖² = ‖x‖² + ‖y‖² − 2·x·y via
/// <see cref="MatrixProduct"/>, clamped at 0 (sklearn's <c>euclidean_distances</c> formula, float64).
/// When X and Y are the same set the diagonal is exactly 0, as sklearn sets it. Float32 rows are read as float64 (the
/// product widens them while packing, the norms value by value), so they give the bits of their float64 copies.
/// </summary>
internal static class PairwiseDistanceBlocks
{
    /// <summary>Rows of X per block.</summary>
    public const int BlockRows = 384;

    /// <summary>
    /// Calls <paramref name="consume"/>(firstRow, rows, squaredDistances) for each block, in order: the first rows×ny
    /// values of the array (which may be longer, and is reused after the call) are the block's distances.
    /// </summary>
    public static void ForEachBlock<TSource>(TSource[] x, int nx, TSource[] y, int ny, int d, bool sameSet,
        Action<int, int, double[]> consume, int maxThreads = -1)
        where TSource : unmanaged, IFloatingPointIeee754<TSource>
    {
        var normX = SquaredNorms(x, nx, d);
        var normY = sameSet ? normX : SquaredNorms(y, ny, d);
        // The block comes from the shared pool (it is fully written before each use): a k-NN evaluation makes three
        // passes, each of which would otherwise allocate a fresh 384 × ny block.
        var block = System.Buffers.ArrayPool<double>.Shared.Rent(checked(Math.Min(BlockRows, nx) * ny));
        try
        {
            for (int start = 0; start < nx; start += BlockRows)
            {
                int rows = Math.Min(BlockRows, nx - start);
                Array.Clear(block, 0, rows * ny);
                MatrixProduct.MultiplyAddInFloat64(x, start * d, d, false, y, 0, d, true, block, 0, ny, rows, ny, d, maxThreads: maxThreads);
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
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(block);
        }
    }

    private static double[] SquaredNorms<TSource>(TSource[] x, int n, int d)
        where TSource : unmanaged, IFloatingPointIeee754<TSource>
    {
        var norms = new double[n];
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < d; j++)
            {
                double v = double.CreateTruncating(x[(long)i * d + j]);
                s += v * v;
            }
            norms[i] = s;
        }
        return norms;
    }
}
