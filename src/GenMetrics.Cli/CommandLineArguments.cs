using System.Globalization;

namespace GenMetrics.Cli;

/// <summary>
/// Parsed command line of one verb: positional inputs, <c>--name value</c> / <c>--name=value</c> options and
/// flags, in the style of pytorch-fid and torch-fidelity. Unknown options are an error.
/// </summary>
internal sealed class CommandLineArguments
{
    /// <summary>Flags every verb accepts.</summary>
    public static readonly IReadOnlySet<string> CommonFlags = new HashSet<string> { "--json", "--quiet", "--verbose", "--help", "-h" };

    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    private CommandLineArguments(List<string> positionals, Dictionary<string, string> values, HashSet<string> flags)
    {
        Positionals = positionals;
        _values = values;
        _flags = flags;
    }

    public IReadOnlyList<string> Positionals { get; }

    public bool Json => Has("--json");
    public bool Quiet => Has("--quiet");
    public bool Verbose => Has("--verbose");
    public bool Help => Has("--help") || Has("-h");

    /// <summary>Parses <paramref name="args"/> against the options a verb declares.</summary>
    public static CommandLineArguments Parse(IReadOnlyList<string> args, CommandOptions options)
    {
        var positionals = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        bool onlyPositionals = false;
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (onlyPositionals || !a.StartsWith('-') || a == "-")
            {
                positionals.Add(a);
                continue;
            }
            if (a == "--")
            {
                onlyPositionals = true;
                continue;
            }
            string name = a;
            string? inline = null;
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                name = a[..eq];
                inline = a[(eq + 1)..];
            }
            string canonical = options.Canonical(name);
            if (options.ValueOptions.Contains(canonical))
            {
                string? value = inline;
                if (value is null)
                {
                    if (i + 1 >= args.Count) throw new GenMetricsException($"option {name} needs a value");
                    value = args[++i];
                }
                values[canonical] = value;
            }
            else if (options.Flags.Contains(canonical) || CommonFlags.Contains(canonical))
            {
                if (inline is not null) throw new GenMetricsException($"option {name} takes no value");
                flags.Add(canonical);
            }
            else
            {
                throw new GenMetricsException($"unknown option {name} (see --help)");
            }
        }
        return new CommandLineArguments(positionals, values, flags);
    }

    public bool Has(string flag) => _flags.Contains(flag);

    public string? GetString(string name) => _values.TryGetValue(name, out var v) ? v : null;

    public string GetString(string name, string defaultValue) => GetString(name) ?? defaultValue;

    /// <summary>Most threads <c>--threads</c> accepts.</summary>
    public const int MaxThreads = 256;

    /// <summary><c>--threads N</c>: 0 (default) means one per core; 1 to <see cref="MaxThreads"/> otherwise.</summary>
    public int GetThreads()
    {
        int threads = GetInt("--threads", 0, min: 0);
        if (threads > MaxThreads)
        {
            throw new GenMetricsException($"option --threads expects 0 (one per core) to {MaxThreads}, got {threads}; this machine has {Environment.ProcessorCount} core(s)");
        }
        return threads;
    }

    public int GetInt(string name, int defaultValue, int min = int.MinValue)
    {
        string? v = GetString(name);
        if (v is null) return defaultValue;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int result) || result < min)
        {
            throw new GenMetricsException(min == int.MinValue
                ? $"option {name} expects an integer, got '{v}'"
                : $"option {name} expects an integer >= {min}, got '{v}'");
        }
        return result;
    }

    public double GetDouble(string name, double defaultValue)
    {
        string? v = GetString(name);
        if (v is null) return defaultValue;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double result))
        {
            throw new GenMetricsException($"option {name} expects a number, got '{v}'");
        }
        return result;
    }

    /// <summary>The value of an option restricted to a fixed set of choices (case-insensitive).</summary>
    public string GetChoice(string name, string defaultValue, params string[] choices)
    {
        string v = GetString(name) ?? defaultValue;
        foreach (string c in choices)
        {
            if (string.Equals(c, v, StringComparison.OrdinalIgnoreCase)) return c;
        }
        throw new GenMetricsException($"option {name} must be one of {string.Join(", ", choices)}; got '{v}'");
    }

    /// <summary>Checks the number of positional arguments.</summary>
    public void RequirePositionals(int min, int max, string usage)
    {
        if (Positionals.Count < min || Positionals.Count > max)
        {
            throw new GenMetricsException($"expected {(min == max ? min.ToString(CultureInfo.InvariantCulture) : $"{min} to {max}")} input(s), got {Positionals.Count}; usage: {usage}");
        }
    }
}

/// <summary>The options one verb accepts (beyond the common <c>--json --quiet --verbose --help</c>).</summary>
internal sealed class CommandOptions
{
    private readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    public CommandOptions(IEnumerable<string> valueOptions, IEnumerable<string>? flags = null)
    {
        ValueOptions = new HashSet<string>(valueOptions, StringComparer.Ordinal);
        Flags = new HashSet<string>(flags ?? [], StringComparer.Ordinal);
    }

    public IReadOnlySet<string> ValueOptions { get; }
    public IReadOnlySet<string> Flags { get; }

    /// <summary>Declares a short or alternative spelling (e.g. <c>-o</c> for <c>--out</c>).</summary>
    public CommandOptions WithAlias(string alias, string canonical)
    {
        _aliases[alias] = canonical;
        return this;
    }

    public string Canonical(string name) => _aliases.TryGetValue(name, out var c) ? c : name;
}
