namespace GenMetrics.Tests.Imaging;

/// <summary>A fresh folder under the system temp directory, deleted on dispose.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "genmetrics-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string File(params string[] parts)
    {
        string path = Path.Combine([Root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>Copies pairs NN from images/pairs into ref/NN.png and dist/NN.png.</summary>
    public (string Ref, string Dist) PairFolders(params string[] ids)
    {
        foreach (string id in ids)
        {
            System.IO.File.Copy(Fixtures.Path("images", "pairs", $"{id}_ref.png"), File("ref", $"{id}.png"));
            System.IO.File.Copy(Fixtures.Path("images", "pairs", $"{id}_dist.png"), File("dist", $"{id}.png"));
        }
        return (Path.Combine(Root, "ref"), Path.Combine(Root, "dist"));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
