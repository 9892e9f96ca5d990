using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace GenMetrics.Cli;

/// <summary>
/// The <c>genmetrics</c> program: parses the command line with the declared verbs (<see cref="CommandTree"/>), runs
/// the verb, and turns every failure into one line on stderr and a non-zero exit code (stack traces only with
/// <c>--verbose</c>). A cancelled run (Ctrl+C, SIGTERM) ends with <see cref="InterruptHandler.InterruptedExitCode"/>.
/// </summary>
internal static class CliApplication
{
    /// <summary>Exit code for a user error (bad input, bad option).</summary>
    public const int UserErrorExitCode = 1;

    /// <summary>Exit code for an unexpected internal failure.</summary>
    public const int InternalErrorExitCode = 70;

    /// <summary>Every verb, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<ICliCommand> Commands { get; } = CommandCatalog.All;

    /// <summary>
    /// The product version, from <c>&lt;Version&gt;</c> in Directory.Build.props (the assembly's informational
    /// version, without any <c>+commit</c> build metadata): what <c>--version</c> prints and the packages carry.
    /// </summary>
    public static string Version { get; } = ReadVersion();

    private static string ReadVersion()
    {
        string? informational = typeof(CliApplication).Assembly
            .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), inherit: false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>()
            .FirstOrDefault()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational)) return typeof(CliApplication).Assembly.GetName().Version?.ToString() ?? "unknown";
        int plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }

    /// <summary>Runs one command line; <paramref name="cancellationToken"/> stops a running verb (exit 130).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        if (args.Count == 1 && args[0] == "help") args = ["--help"];
        var root = CommandTree.Build(Commands, (verb, parsed) => RunVerb(verb, parsed, output, error, cancellationToken));
        if (args.Count == 0)
        {
            WriteHelp(root, output);
            return UserErrorExitCode;
        }
        if (!args[0].StartsWith('-') && Commands.All(c => c.Name != args[0]))
        {
            error.WriteLine($"error: unknown command '{EscapeControl(args[0])}'; commands: {string.Join(", ", Commands.Select(c => c.Name))}");
            return UserErrorExitCode;
        }
        ParseResult parsed = root.Parse(args, CommandTree.Parser);
        if (parsed.Errors.Count > 0 && parsed.Action is not HelpAction)
        {
            string verb = parsed.CommandResult.Command == root ? "" : " " + parsed.CommandResult.Command.Name;
            error.WriteLine($"error: {EscapeControl(parsed.Errors[0].Message)} (see genmetrics{verb} --help)");
            return UserErrorExitCode;
        }
        return parsed.Invoke(new InvocationConfiguration
        {
            Output = output,
            Error = error,
            EnableDefaultExceptionHandler = false,
            // Signals are the program's (InterruptHandler), which cancels cancellationToken.
            ProcessTerminationTimeout = null,
        });
    }

    private static int RunVerb(ICliCommand verb, CommandLineArguments args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        CliContext? context = null;
        try
        {
            context = new CliContext(output, error, args.Quiet, cancellationToken)
            {
                Json = args.Json,
                ResultPath = args.Declares(OptionCatalog.Output) ? args.Get(OptionCatalog.Output) : null,
            };
            int exitCode = verb.Run(args, context);
            // Interrupted after its last check: what it wrote is complete, but the run still ends as interrupted.
            return cancellationToken.IsCancellationRequested ? Interrupted(context) : exitCode;
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && IsCancellation(e))
        {
            return Interrupted(context);
        }
        catch (GenMetricsException e)
        {
            // The library names the parameter at fault; the user set it with a flag of this command.
            string? flag = OptionNames.For(e.ParameterName);
            bool accepted = flag is not null && args.DeclaresOption(flag);
            return Fail(context, error, args, e, $"error: {EscapeControl(e.Message)}{(accepted ? $" (option {flag})" : "")}", UserErrorExitCode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(context, error, args, e, $"error: {EscapeControl(e.Message)}", UserErrorExitCode);
        }
        catch (Exception e)
        {
            return Fail(context, error, args, e, $"internal error: {e.GetType().Name}: {EscapeControl(e.Message)} (rerun with --verbose for details and report it)", InternalErrorExitCode);
        }
    }

    private static int Interrupted(CliContext? context)
    {
        // Outputs being written are removed by their writers as the cancellation unwinds them (AtomicFileWriter).
        context?.EndProgressLines();
        (context?.Error ?? Console.Error).WriteLine($"error: {InterruptHandler.Reason}; outputs still being written were removed");
        return InterruptHandler.ExitCode;
    }

    /// <summary>A cancellation, also when it surfaced through a parallel loop or a task.</summary>
    private static bool IsCancellation(Exception e) =>
        e is OperationCanceledException || (e is AggregateException a && a.Flatten().InnerExceptions.All(IsCancellation));

    private static int Fail(CliContext? context, TextWriter error, CommandLineArguments args, Exception e, string line, int exitCode)
    {
        context?.EndProgressLines();
        error.WriteLine(line);
        if (args.Verbose) error.WriteLine(e.ToString());
        return exitCode;
    }

    private static void WriteHelp(Command root, TextWriter output) =>
        root.Parse(["--help"], CommandTree.Parser).Invoke(new InvocationConfiguration { Output = output, EnableDefaultExceptionHandler = false });

    /// <summary>
    /// Escapes control characters (newline, carriage return, tab, ESC, DEL, C1) so a crafted file name cannot
    /// split the one error line or send terminal escape sequences: \n \r \t, others as \xHH or \uHHHH.
    /// </summary>
    internal static string EscapeControl(string text)
    {
        if (!text.Any(char.IsControl)) return text;
        var b = new System.Text.StringBuilder(text.Length + 16);
        foreach (char c in text)
        {
            switch (c)
            {
                case '\n': b.Append("\\n"); break;
                case '\r': b.Append("\\r"); break;
                case '\t': b.Append("\\t"); break;
                default:
                    if (!char.IsControl(c)) b.Append(c);
                    else if (c <= 0xFF) b.Append("\\x").Append(((int)c).ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
                    else b.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    break;
            }
        }
        return b.ToString();
    }
}
