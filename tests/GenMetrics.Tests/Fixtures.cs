namespace GenMetrics.Tests;

/// <summary>
/// The one way tests reach the golden data: <c>../shared/fixtures</c> beside the repository root (the folder
/// holding GenMetrics.slnx). Fixtures are never copied into the project.
/// </summary>
internal static class Fixtures
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>Absolute path of <c>../shared/fixtures</c>.</summary>
    public static string Root => LazyRoot.Value;

    /// <summary>Absolute path of the repository root.</summary>
    public static string RepositoryRoot => FindRepoRoot();

    /// <summary>A path below the fixtures root, e.g. <c>Fixtures.Path("golden", "ssim", "ssim.json")</c>.</summary>
    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "GenMetrics.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException($"GenMetrics.slnx not found above {AppContext.BaseDirectory}");
    }

    private static string FindRoot()
    {
        string repo = FindRepoRoot();
        string fixtures = System.IO.Path.GetFullPath(System.IO.Path.Combine(repo, "..", "shared", "fixtures"));
        if (!Directory.Exists(fixtures)) throw new InvalidOperationException($"golden fixtures not found at {fixtures}");
        return fixtures;
    }
}
