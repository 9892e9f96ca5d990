using System.CommandLine;
using System.CommandLine.Parsing;

namespace GenMetrics.Cli;

/// <summary>
/// The parsed command line of one verb: the values of the positional arguments it declares, in order, and typed
/// access to its options (their defaults and validation are declared with the options, see <see cref="OptionCatalog"/>).
/// </summary>
internal sealed class CommandLineArguments(ParseResult result)
{
    /// <summary>The verb, e.g. "fid".</summary>
    public string CommandName => result.CommandResult.Command.Name;

    /// <summary>The positional inputs, in the order the verb declares its arguments.</summary>
    public IReadOnlyList<string> Positionals { get; } = [.. result.CommandResult.Command.Arguments.SelectMany(a => Values(result, a))];

    /// <summary><c>--json</c>: one JSON object on stdout.</summary>
    public bool Json => Get(OptionCatalog.Json);

    /// <summary><c>-q/--quiet</c>: no progress.</summary>
    public bool Quiet => Get(OptionCatalog.Quiet);

    /// <summary><c>--verbose</c>: stack traces with errors.</summary>
    public bool Verbose => Get(OptionCatalog.Verbose);

    /// <summary>The option's value, or its declared default when it was not given.</summary>
    public T Get<T>(Option<T> option) => Declares(option)
        ? result.GetValue(option)!
        : throw new InvalidOperationException($"{result.CommandResult.Command.Name} does not declare {option.Name}");

    /// <summary>The option's value when it was given on the command line; null otherwise.</summary>
    public T? GetGiven<T>(Option<T> option) where T : class => IsGiven(option) ? result.GetValue(option) : null;

    /// <summary>The option's value when it was given on the command line; null otherwise.</summary>
    public T? GetGivenValue<T>(Option<T> option) where T : struct => IsGiven(option) ? result.GetValue(option) : null;

    /// <summary>Whether the verb declares the option (reading an undeclared one is a programming error).</summary>
    public bool Declares(Option option) => result.CommandResult.Command.Options.Contains(option);

    /// <summary>Whether the verb has an option spelled <paramref name="name"/> (its name or an alias).</summary>
    public bool DeclaresOption(string name) => result.CommandResult.Command.Options.Any(o => o.Name == name || o.Aliases.Contains(name));

    /// <summary>Whether the option was typed (not only defaulted).</summary>
    public bool IsGiven(Option option) => result.GetResult(option) is OptionResult { Implicit: false };

    private static IEnumerable<string> Values(ParseResult result, Argument argument) => result.GetResult(argument) switch
    {
        null => [],
        ArgumentResult r => r.Tokens.Select(t => t.Value),
    };
}
