namespace GenMetrics.Tests;

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Root);

    public string Root { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "genmetrics-test-" + Guid.NewGuid().ToString("N"));

    public string Path(string name) => System.IO.Path.Combine(Root, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
