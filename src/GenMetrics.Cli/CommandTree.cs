using System.CommandLine;
using System.CommandLine.Help;

namespace GenMetrics.Cli;

/// <summary>
/// The System.CommandLine tree of <c>genmetrics</c>: one subcommand per <see cref="ICliCommand"/> with its declared
/// symbols plus <see cref="OptionCatalog.Common"/>. Response files (<c>@file</c>) and directives (<c>[name]</c>) are
/// off, so every token is an input path or an option exactly as typed.
/// </summary>
internal static class CommandTree
{
    /// <summary>Help is wrapped at this width whatever the terminal, so it reads the same everywhere (and in the snapshots).</summary>
    public const int HelpWidth = 110;

    public static ParserConfiguration Parser { get; } = new() { ResponseFileTokenReplacer = null };

    /// <summary>Builds the tree; <paramref name="run"/> runs a verb with its parsed arguments.</summary>
    public static Command Build(IReadOnlyList<ICliCommand> verbs, Func<ICliCommand, CommandLineArguments, int> run)
    {
        // A plain Command named as the tool (a RootCommand takes the host's file name, e.g. dotnet or testhost) with
        // the help (inherited by every verb) and version options; no directives.
        var root = new Command("genmetrics", "image-generation metrics with the numbers of pytorch-fid, torch-fidelity, clean-fid, torchmetrics, lpips and scikit-image");
        var helpOption = new HelpOption();
        if (helpOption.Action is HelpAction help) help.MaxWidth = HelpWidth;
        root.Add(helpOption);
        root.Add(new VersionOption { Action = new VersionAction() });
        foreach (ICliCommand verb in verbs)
        {
            var command = new Command(verb.Name, verb.Summary);
            foreach (Symbol symbol in verb.Symbols)
            {
                switch (symbol)
                {
                    case Argument a:
                        RejectOptionLikeValues(a);
                        command.Add(a);
                        break;
                    case Option o: command.Add(o); break;
                    default: throw new InvalidOperationException($"{verb.Name}: unexpected symbol {symbol.GetType().Name}");
                }
            }
            // -o is the result file, unless it names the file the verb produces (stats, features, merge-*).
            if (!command.Options.Any(o => o.Aliases.Contains("-o"))) command.Add(OptionCatalog.Output);
            foreach (Option o in OptionCatalog.Common) command.Add(o);
            command.SetAction(result => run(verb, new CommandLineArguments(result)));
            root.Add(command);
        }
        return root;
    }

    /// <summary>
    /// An unknown option typed where an input may stand (<c>fid --bogus</c>) would otherwise be taken as a path:
    /// it is an error naming the option, with the spelling for a file whose name starts with '-'.
    /// </summary>
    private static void RejectOptionLikeValues(Argument argument)
    {
        if (argument.Validators.Count > 0) return; // shared by several trees: added once
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (token.Value.Length > 1 && token.Value[0] == '-')
                {
                    result.AddError($"unknown option '{token.Value}'; for a file whose name starts with '-', write ./{token.Value}");
                }
            }
        });
    }

    /// <summary><c>--version</c>: the product version alone (not the host's).</summary>
    private sealed class VersionAction : System.CommandLine.Invocation.SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(CliApplication.Version);
            return 0;
        }
    }
}
