using System.Text;
using GenMetrics.Evaluation;
using GenMetrics.Checkpoints;
using GenMetrics.Metrics;
using GenMetrics.Statistics;

namespace GenMetrics.Tests.Evaluation;

/// <summary>
/// FID of <c>.npy</c> feature matrices is computed from rows streamed a block at a time (n, Σx, ΣxxT), never from
/// the whole matrix: same numbers as the whole-matrix path, memory independent of N.
/// </summary>
public sealed class StreamedFeatureFileTests
{
    private static readonly string SetA = Fixtures.Path("golden", "fid", "features_set_a_d2048.npy");
    private static readonly string SetB = Fixtures.Path("golden", "fid", "features_set_b_d2048.npy");

    [Fact]
    public void StreamedFidOfGoldenFeaturesEqualsTheWholeMatrixPath()
    {
        var whole = DistributionEvaluation.Evaluate(MetricInput.Load(SetA), MetricInput.Load(SetB), DistributionMetrics.Fid, new EvaluationOptions());
        var streamed = DistributionEvaluation.Evaluate(SetA, SetB, DistributionMetrics.Fid, new EvaluationOptions(), new ImageFeatureSettings());
        // Exact: the accumulator's fixed 256-row blocks make the summation order independent of how rows arrive.
        Assert.Equal(whole.Fid!.Value, streamed.Fid!.Value);
        Assert.Equal(whole.FakeCount, streamed.FakeCount);
    }

    [Fact]
    public void StreamingReadsEveryLayoutAsTheWholeReader()
    {
        using var dir = new TempDirectory();
        var random = new Random(7);
        const int rows = 700, columns = 5; // 700 rows: two full 256-row blocks and a partial one
        var values = new double[rows * columns];
        for (int i = 0; i < values.Length; i++) values[i] = random.NextDouble() * 10 - 5;
        var expected = StatisticsOf(values, columns);

        string littleF8 = dir.Path("f8.npy");
        NpyFile.Write(littleF8, NpyArray.FromFloat64(values, rows, columns));
        string bigF8 = dir.Path("f8be.npy");
        WriteRaw(bigF8, ">f8", fortran: false, rows, columns, values.SelectMany(v => BitConverter.GetBytes(v).Reverse()).ToArray());
        string fortranF8 = dir.Path("f8f.npy");
        var columnMajor = new double[values.Length];
        for (int r = 0; r < rows; r++) for (int c = 0; c < columns; c++) columnMajor[c * rows + r] = values[r * columns + c];
        WriteRaw(fortranF8, "<f8", fortran: true, rows, columns, columnMajor.SelectMany(BitConverter.GetBytes).ToArray());

        foreach (string path in new[] { littleF8, bigF8, fortranF8 })
        {
            var input = MetricInput.LoadForStatistics(path);
            var stats = input.ToStatistics(new StatsProvenance("pytorch-fid", "", "5"));
            Assert.Equal(rows, input.Rows);
            // Exact: the same float64 rows in the same order through the same accumulator.
            Assert.Equal(expected.Mean, stats.Mean);
            Assert.Equal(expected.Covariance, stats.Covariance);
        }
        Assert.Null(MetricInput.LoadForStatistics(littleF8).Features);
    }

    [Fact]
    public void MemoryOfAStreamedFeatureFileDoesNotGrowWithItsRows()
    {
        using var dir = new TempDirectory();
        const int columns = 64;
        const int rows = 100_000; // 25.6 MB of float32 rows, 51 MB as float64
        string path = dir.Path("big.npy");
        var random = new Random(3);
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++) values[i] = (float)random.NextDouble();
        NpyFile.Write(path, NpyArray.FromFloat32(values, rows, columns));
        long fileBytes = new FileInfo(path).Length;

        long before = GC.GetAllocatedBytesForCurrentThread();
        var input = MetricInput.LoadForStatistics(path);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(rows, input.Rows);
        // Bound: one 256-row block (float64 and raw bytes) plus the d² accumulator is under 1 MB here; reading the
        // file whole would allocate at least its own size. A twentieth of the file separates the two by far.
        Assert.True(allocated < fileBytes / 20, $"streaming {fileBytes} bytes allocated {allocated} bytes");
    }

    [Fact]
    public void ANonFiniteValueInALaterBlockNamesItsRow()
    {
        using var dir = new TempDirectory();
        const int rows = 600, columns = 3;
        var values = new float[rows * columns];
        for (int i = 0; i < values.Length; i++) values[i] = i % 7;
        values[300 * columns + 2] = float.NaN;
        string path = dir.Path("nan.npy");
        NpyFile.Write(path, NpyArray.FromFloat32(values, rows, columns));
        var e = Assert.Throws<GenMetricsException>(() => MetricInput.LoadForStatistics(path));
        Assert.Contains("row 300, column 2", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void ATruncatedFeatureFileIsOneClearError()
    {
        using var dir = new TempDirectory();
        string path = dir.Path("cut.npy");
        NpyFile.Write(path, NpyArray.FromFloat32(new float[300 * 4], 300, 4));
        using (var f = new FileStream(path, FileMode.Open)) f.SetLength(f.Length - 10);
        var e = Assert.Throws<GenMetricsException>(() => MetricInput.LoadForStatistics(path));
        Assert.Contains("truncated", e.Message);
    }

    private static (double[] Mean, double[] Covariance) StatisticsOf(double[] values, int columns)
    {
        var acc = new FeatureStatistics(columns);
        acc.Add(values);
        return (acc.Mean(), acc.Covariance());
    }

    private static void WriteRaw(string path, string descr, bool fortran, int rows, int columns, byte[] data)
    {
        string header = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': ({rows}, {columns}), }}";
        int total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + (64 - total % 64) % 64) + "\n";
        using var f = File.Create(path);
        f.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        f.Write(BitConverter.GetBytes((ushort)header.Length));
        f.Write(Encoding.ASCII.GetBytes(header));
        f.Write(data);
    }
}
