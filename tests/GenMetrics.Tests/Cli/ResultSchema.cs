using System.Text.Json;
using Json.Schema;

namespace GenMetrics.Tests.Cli;

/// <summary>docs/genmetrics-result.schema.json, built once, and validation of one JSON result against it.</summary>
internal static class ResultSchema
{
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(FilePath)));

    /// <summary>The schema file in the repository.</summary>
    public static string FilePath => Path.Combine(Fixtures.RepositoryRoot, "docs", "genmetrics-result.schema.json");

    /// <summary>The schema's messages for <paramref name="result"/>: empty when it is valid.</summary>
    public static List<string> Errors(JsonElement result)
    {
        var evaluation = Schema.Value.Evaluate(result, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (evaluation.IsValid) return [];
        var errors = new List<string>();
        foreach (var node in (evaluation.Details ?? []).Prepend(evaluation))
        {
            if (node.Errors is null) continue;
            foreach (var (keyword, message) in node.Errors) errors.Add($"{node.InstanceLocation} ({node.EvaluationPath}, {keyword}): {message}");
        }
        return errors.Count > 0 ? errors : ["invalid (no message)"];
    }

    /// <summary>Asserts that <paramref name="result"/> validates, listing the schema's messages when it does not.</summary>
    public static void AssertValid(JsonElement result, string what)
    {
        var errors = Errors(result);
        Assert.True(errors.Count == 0, $"{what} does not match {FilePath}:\n{string.Join("\n", errors)}\n{result.GetRawText()}");
    }
}
