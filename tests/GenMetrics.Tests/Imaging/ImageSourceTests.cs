using System.IO.Compression;
using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

public sealed class ImageSourceTests
{
    [Fact]
    public void FolderIsSortedOrdinalAndFiltersExtensionsCaseInsensitively()
    {
        using var dir = new ScratchFolder();
        string png = Fixtures.Path("images", "odd", "tiny_1x1.png");
        foreach (string name in new[] { "b.png", "a.PNG", "B.jpg", "notes.txt", "c.Tiff" }) File.Copy(png, dir.File(name));
        File.Copy(png, dir.File("sub", "d.png"));
        var source = ImageSource.Open(dir.Root);
        Assert.Equal(["B.jpg", "a.PNG", "b.png", "c.Tiff"], source.Entries.Select(e => e.RelativePath));
        var recursive = ImageSource.Open(dir.Root, recursive: true);
        Assert.Equal(["B.jpg", "a.PNG", "b.png", "c.Tiff", "sub/d.png"], recursive.Entries.Select(e => e.RelativePath));
        Assert.Equal(new FileInfo(png).Length, recursive.Entries[0].Length);
    }

    [Fact]
    public void RecursionKeepsFileLinksButDoesNotFollowFolderLinksAndSkipsAppleDouble()
    {
        using var dir = new ScratchFolder();
        string png = Fixtures.Path("images", "odd", "tiny_1x1.png");
        File.Copy(png, dir.File("a", "x.png"));
        File.Copy(png, dir.File("a", "._x.png"));
        Directory.CreateSymbolicLink(dir.File("a", "loop"), dir.Root);
        File.CreateSymbolicLink(dir.File("y.png"), dir.File("a", "x.png"));
        var source = ImageSource.Open(dir.Root, recursive: true);
        Assert.Equal(["a/x.png", "y.png"], source.Entries.Select(e => e.RelativePath));
    }

    [Fact]
    public void DecodeInOrderYieldsEntryOrderWithAnyParallelismAndCapacity()
    {
        var source = ImageSource.Open(Fixtures.Path("images", "odd"));
        var sequential = source.Entries.Select(e => e.Decode().Pixels).ToList();
        foreach (var (threads, capacity) in new[] { (1, 1), (2, 1), (4, 3), (8, 64) })
        {
            var decoded = source.DecodeInOrder(threads, capacity).ToList();
            Assert.Equal(source.Entries, decoded.Select(d => d.Entry));
            for (int i = 0; i < decoded.Count; i++) Assert.Equal(sequential[i], decoded[i].Image.Pixels);
        }
    }

    [Fact]
    public void StoppingEarlyIsClean()
    {
        var source = ImageSource.Open(Fixtures.Path("images", "odd"));
        var first = source.DecodeInOrder(2, 4).Take(2).ToList();
        Assert.Equal(2, first.Count);
    }

    [Fact]
    public void ZipArchiveListsImageMembersAtAnyDepthSorted()
    {
        using var dir = new ScratchFolder();
        string zipPath = dir.File("images.zip");
        using (var zip = ZipFile.Open(zipPath, ZipArchiveMode.Create))
        {
            zip.CreateEntryFromFile(Fixtures.Path("images", "odd", "small_odd.png"), "z/b.png");
            zip.CreateEntryFromFile(Fixtures.Path("images", "odd", "jpeg_gray.jpg"), "a.jpg");
            zip.CreateEntry("readme.txt");
            zip.CreateEntry("__MACOSX/z/._b.png");
            zip.CreateEntry("z/._b.png");
        }
        using var source = ImageSource.Open(zipPath);
        Assert.Equal(["a.jpg", "z/b.png"], source.Entries.Select(e => e.RelativePath));
        var decoded = source.DecodeInOrder(2).ToList();
        Assert.Equal(ImageDecoder.Decode(Fixtures.Path("images", "odd", "small_odd.png")).Pixels, decoded[1].Image.Pixels);
        Assert.Contains("images.zip!z/b.png", decoded[1].Entry.Location, StringComparison.Ordinal);
    }

    [Fact]
    public void CorruptOrImagelessZipIsAUserError()
    {
        using var dir = new ScratchFolder();
        string corrupt = dir.File("bad.zip");
        File.WriteAllBytes(corrupt, [0x50, 0x4B, 1, 2, 3]);
        Assert.Contains("not a valid .zip", Assert.Throws<GenMetricsException>(() => ImageSource.Open(corrupt)).Message, StringComparison.Ordinal);
        string empty = dir.File("empty.zip");
        using (var zip = ZipFile.Open(empty, ZipArchiveMode.Create)) zip.CreateEntry("notes.txt");
        Assert.Contains("no images", Assert.Throws<GenMetricsException>(() => ImageSource.Open(empty)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPathIsAUserError()
    {
        var e = Assert.Throws<GenMetricsException>(() => ImageSource.Open("/no/such/folder"));
        Assert.Contains("/no/such/folder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyFolderIsAUserErrorSuggestingRecursive()
    {
        using var dir = new ScratchFolder();
        File.Copy(Fixtures.Path("images", "odd", "tiny_1x1.png"), dir.File("sub", "x.png"));
        var e = Assert.Throws<GenMetricsException>(() => ImageSource.Open(dir.Root));
        Assert.Contains("no images", e.Message, StringComparison.Ordinal);
        Assert.Contains("recursive: true", e.Message, StringComparison.Ordinal);
        Assert.Equal("recursive", e.ParameterName);
    }

    [Fact]
    public void DecodeErrorSurfacesAtTheFailingEntry()
    {
        using var dir = new ScratchFolder();
        File.Copy(Fixtures.Path("images", "odd", "tiny_1x1.png"), dir.File("a.png"));
        File.WriteAllBytes(dir.File("b.png"), [1, 2, 3]);
        var source = ImageSource.Open(dir.Root);
        using var enumerator = source.DecodeInOrder(2).GetEnumerator();
        Assert.True(enumerator.MoveNext());
        var e = Assert.Throws<GenMetricsException>(() => enumerator.MoveNext());
        Assert.Contains("b.png", e.Message, StringComparison.Ordinal);
    }
}
