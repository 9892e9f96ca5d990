using System.CommandLine;

namespace GenMetrics.Cli;

/// <summary>One CLI verb (<c>genmetrics VERB ...</c>). Verbs only declare their arguments and options, read them and call the library.</summary>
internal interface ICliCommand
{
    /// <summary>The verb, e.g. "ssim".</summary>
    string Name { get; }

    /// <summary>One line for the verb list and the top of its help.</summary>
    string Summary { get; }

    /// <summary>The positional arguments and the options the verb accepts (besides <see cref="OptionCatalog.Common"/>), in help order.</summary>
    IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>Runs the verb; returns the process exit code. Throws <see cref="GenMetricsException"/> for user errors.</summary>
    int Run(CommandLineArguments args, CliContext context);
}
