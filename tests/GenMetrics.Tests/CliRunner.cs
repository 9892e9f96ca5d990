using GenMetrics.Cli;

namespace GenMetrics.Tests;

/// <summary>Runs the real <c>genmetrics</c> command in-process with captured stdout and stderr.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static Result Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApplication.Run(args, output, error);
        return new Result(code, output.ToString(), error.ToString());
    }
}
