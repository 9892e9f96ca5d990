
namespace GenMetrics.Cli;

/// <summary>
/// The <c>genmetrics</c> program: finds the verb, parses its options, runs it, and turns every failure into
/// one line on stderr and a non-zero exit code (stack traces only with <c>--verbose</c>).
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

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        if (args.Count == 0 || args[0] is "--help" or "-h" or "help")
        {
            WriteOverview(output);
            return args.Count == 0 ? UserErrorExitCode : 0;
        }
        if (args[0] == "--version")
        {
            output.WriteLine(Version);
            return 0;
        }
        var command = Commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            error.WriteLine($"error: unknown command '{EscapeControl(args[0])}'; commands: {string.Join(", ", Commands.Select(c => c.Name))}");
            return UserErrorExitCode;
        }
        bool verbose = args.Contains("--verbose");
        CliContext? context = null;
        try
        {
            var parsed = CommandLineArguments.Parse(args.Skip(1).ToList(), command.Options);
            if (parsed.Help)
            {
                output.WriteLine(command.Help);
                return 0;
            }
            context = new CliContext(output, error, parsed.Quiet);
            return command.Run(parsed, context);
        }
        catch (GenMetricsException e)
        {
            context?.EndProgressLines();
            // The library names the parameter at fault; the user set it with a flag of this command.
            string? flag = OptionNames.For(e.ParameterName);
            bool accepted = flag is not null && (command.Options.ValueOptions.Contains(flag) || command.Options.Flags.Contains(flag));
            error.WriteLine($"error: {EscapeControl(e.Message)}{(accepted ? $" (option {flag})" : "")}");
            if (verbose) error.WriteLine(e.ToString());
            return UserErrorExitCode;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context?.EndProgressLines();
            error.WriteLine($"error: {EscapeControl(e.Message)}");
            if (verbose) error.WriteLine(e.ToString());
            return UserErrorExitCode;
        }
        catch (Exception e)
        {
            context?.EndProgressLines();
            error.WriteLine($"internal error: {e.GetType().Name}: {EscapeControl(e.Message)} (rerun with --verbose for details and report it)");
            if (verbose) error.WriteLine(e.ToString());
            return InternalErrorExitCode;
        }
    }

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

    private static void WriteOverview(TextWriter output)
    {
        output.WriteLine("genmetrics: image-generation metrics matching pytorch-fid, torch-fidelity, clean-fid, lpips, scikit-image");
        output.WriteLine();
        output.WriteLine("usage: genmetrics <command> [inputs] [options]   (genmetrics <command> --help for its options)");
        output.WriteLine();
        foreach (var c in Commands) output.WriteLine($"  {c.Name,-12} {c.Summary}");
    }
}
