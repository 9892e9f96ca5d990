namespace GenMetrics.Cli;

/// <summary>One CLI verb (<c>genmetrics VERB ...</c>). Verbs only parse arguments and call the library.</summary>
internal interface ICliCommand
{
    /// <summary>The verb, e.g. "ssim".</summary>
    string Name { get; }

    /// <summary>One line for the verb list.</summary>
    string Summary { get; }

    /// <summary>Full help text: usage line and options.</summary>
    string Help { get; }

    /// <summary>The options the verb accepts.</summary>
    CommandOptions Options { get; }

    /// <summary>Runs the verb; returns the process exit code. Throws <see cref="GenMetricsException"/> for user errors.</summary>
    int Run(CommandLineArguments args, CliContext context);
}
