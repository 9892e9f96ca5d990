using System.Text.Json;
using System.Text.RegularExpressions;
using GenMetrics.Cli;

namespace GenMetrics.Tests.Cli;

/// <summary>docs/json.md's examples (its ```json blocks) validate against the schema and cover every verb.</summary>
public sealed partial class JsonDocsExamplesTests
{
    private static List<JsonElement> Examples()
    {
        string text = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "docs", "json.md"));
        return [.. JsonBlock().Matches(text).Select(m => JsonDocument.Parse(m.Groups[1].Value).RootElement.Clone())];
    }

    [GeneratedRegex("```json\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [Fact]
    public void EveryExampleValidates()
    {
        var examples = Examples();
        Assert.NotEmpty(examples);
        foreach (var example in examples) ResultSchema.AssertValid(example, $"docs/json.md example '{example.GetProperty("command").GetString()}'");
    }

    [Fact]
    public void EveryVerbHasAnExample()
    {
        var shown = Examples().Select(e => e.GetProperty("command").GetString()!).ToHashSet();
        var missing = CliApplication.Commands.Select(c => c.Name).Where(name => !shown.Contains(name)).ToList();
        Assert.True(missing.Count == 0, $"docs/json.md has no example of: {string.Join(", ", missing)}");
    }
}
