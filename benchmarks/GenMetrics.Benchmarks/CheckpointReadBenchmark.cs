using System.Diagnostics;
using System.Globalization;
using GenMetrics.Checkpoints;

namespace GenMetrics.Benchmarks;

/// <summary>Time to read every tensor of the checkpoint fixtures (legacy 91 MB Inception, zip float16 VGG16) and convert to float32.</summary>
internal sealed class CheckpointReadBenchmark : IBenchmark
{
    public string Name => "checkpoint-read";

    public string Description => "CheckpointReader.Read + ToFloat32 of every tensor (fid_inception.pth legacy 91 MB, vgg16_features.pth zip fp16)";

    public void Run(BenchmarkOptions options, TextWriter output)
    {
        foreach (string file in new[] { "fid_inception.pth", "vgg16_features.pth" })
        {
            string path = Path.Combine(options.FixturesRoot, "weights", file);
            long bytes = new FileInfo(path).Length;
            Measure(path, convert: true); // warm-up: JIT and page cache
            var read = new List<double>();
            var readConvert = new List<double>();
            for (int i = 0; i < 5; i++)
            {
                read.Add(Measure(path, convert: false));
                readConvert.Add(Measure(path, convert: true));
            }
            read.Sort();
            readConvert.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{file}: {bytes / 1e6:F1} MB, read median {read[2]:F0} ms ({bytes / 1e6 / (read[2] / 1000):F0} MB/s), read + ToFloat32 median {readConvert[2]:F0} ms"));
        }
    }

    private static double Measure(string path, bool convert)
    {
        var watch = Stopwatch.StartNew();
        var state = CheckpointReader.Read(path);
        if (convert)
        {
            foreach (var tensor in state.Values) _ = tensor.ToFloat32();
        }
        return watch.Elapsed.TotalMilliseconds;
    }
}
