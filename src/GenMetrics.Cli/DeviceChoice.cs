using System.CommandLine.Parsing;
using System.Globalization;

namespace GenMetrics.Cli;

/// <summary><c>--device cpu|cuda|cuda:N</c> (PyTorch's spelling): the execution provider and the GPU ordinal.</summary>
internal readonly record struct DeviceChoice(ComputeDevice Device, int DeviceId)
{
    public static DeviceChoice Cpu => new(ComputeDevice.Cpu, 0);

    /// <summary>Parses the option's single token; a bad spelling is a parse error naming the accepted forms.</summary>
    public static DeviceChoice Parse(ArgumentResult result)
    {
        string text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
        if (TryParse(text, out var choice)) return choice;
        result.AddError($"option --device expects cpu, cuda or cuda:N (N = 0, 1, ...); got '{text}'");
        return Cpu;
    }

    public static bool TryParse(string text, out DeviceChoice choice)
    {
        choice = Cpu;
        string t = text.Trim().ToLowerInvariant();
        if (t == "cpu") return true;
        if (t == "cuda")
        {
            choice = new DeviceChoice(ComputeDevice.Cuda, 0);
            return true;
        }
        if (t.StartsWith("cuda:", StringComparison.Ordinal)
            && int.TryParse(t.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out int id) && id <= 1024)
        {
            choice = new DeviceChoice(ComputeDevice.Cuda, id);
            return true;
        }
        return false;
    }

    public override string ToString() => Device == ComputeDevice.Cpu ? "cpu" : string.Create(CultureInfo.InvariantCulture, $"cuda:{DeviceId}");
}
