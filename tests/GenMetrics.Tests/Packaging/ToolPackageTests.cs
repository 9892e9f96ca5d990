using System.Diagnostics;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using GenMetrics.Tests.Metrics;

namespace GenMetrics.Tests.Packaging;

/// <summary>
/// The packages as a user gets them: both projects are packed (from a copy of the sources, so the pack never
/// touches the bin/obj folders of the build running this test) into a folder feed, the tool is installed from
/// that feed with <c>dotnet tool install --tool-path</c>, and the installed <c>genmetrics</c> runs
/// <c>--version</c> and <c>psnr</c> on a fixture pair. The tool package's size and contents are checked too.
/// </summary>
public sealed class ToolPackageTests
{
    /// <summary>nuget.org refuses packages above 250 MB; the tool is held to 100 MB.</summary>
    private const long MaxToolPackageBytes = 100L * 1024 * 1024;

    /// <summary>The runtimes/&lt;rid&gt;/ folders the tool may carry (SkiaSharp's macOS folder is the universal "osx").</summary>
    private static readonly string[] AllowedRuntimes = ["linux-x64", "linux-arm64", "osx", "osx-x64", "osx-arm64", "win-x64"];

    /// <summary>The only PDBs allowed in the tool package: the project's own.</summary>
    private static readonly string[] OwnPdbs = ["GenMetrics.pdb", "GenMetrics.Cli.pdb"];

    private static readonly TimeSpan StepTimeout = TimeSpan.FromMinutes(8);

    [Fact]
    public void PackInstallAndRunTheTool()
    {
        using var tmp = new TempDirectory();
        string repo = Fixtures.RepositoryRoot;
        string version = ReadVersion(repo);
        Assert.Equal(version, GenMetrics.Cli.CliApplication.Version);

        string sources = tmp.Path("src");
        CopySources(repo, sources);
        string feed = tmp.Path("feed");
        Directory.CreateDirectory(feed);
        string config = tmp.Path("nuget.config");
        WriteIsolatedNuGetConfig(config, feed);

        // Analyzers and style checks change nothing in the packages; skipping them keeps the test short.
        string[] quick = ["-p:RunAnalyzers=false", "-p:EnforceCodeStyleInBuild=false", "-nodeReuse:false"];
        Dotnet(tmp.Root, ["restore", Path.Combine(sources, "src", "GenMetrics.Cli"), "--configfile", config, "-nodeReuse:false"]);
        Dotnet(tmp.Root, ["pack", Path.Combine(sources, "src", "GenMetrics.Cli"), "-c", "Release", "--no-restore", "-o", feed, .. quick]);
        Dotnet(tmp.Root, ["pack", Path.Combine(sources, "src", "GenMetrics"), "-c", "Release", "--no-build", "-o", feed, "-nodeReuse:false"]);

        string toolPackage = Path.Combine(feed, $"genmetrics.{version}.nupkg");
        Assert.True(File.Exists(Path.Combine(feed, $"GenMetrics.Core.{version}.nupkg")), "library package GenMetrics.Core not packed");
        Assert.True(File.Exists(toolPackage), $"tool package not found; feed has: {string.Join(", ", Directory.GetFiles(feed).Select(Path.GetFileName))}");
        AssertToolPackageContents(toolPackage);

        string tools = tmp.Path("tools");
        Dotnet(tmp.Root, ["tool", "install", "genmetrics", "--tool-path", tools, "--add-source", feed, "--configfile", config, "--version", version]);
        string genmetrics = Path.Combine(tools, RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "genmetrics.exe" : "genmetrics");

        var v = Execute(genmetrics, tmp.Root, ["--version"]);
        Assert.True(v.ExitCode == 0, $"genmetrics --version exited {v.ExitCode}: {v.Error}");
        Assert.Equal(version, v.Out.Trim());

        string pairs = Fixtures.Path("images", "pairs");
        string report = tmp.Path("psnr.html");
        var r = Execute(genmetrics, tmp.Root, ["psnr", Path.Combine(pairs, "07_ref.png"), Path.Combine(pairs, "07_dist.png"), "--json", "--quiet", "--report", report]);
        Assert.True(r.ExitCode == 0, $"genmetrics psnr exited {r.ExitCode}: {r.Error}");
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal("psnr", doc.RootElement.GetProperty("metric").GetString());
        // Tier "exact integer MSE" (as PairMetricCommandTests): 1e-9 dB against scikit-image.
        double expected = PixelMetricGoldens.Get("07").Get("psnr")!.Value;
        Tolerance.Close(expected, doc.RootElement.GetProperty("value").GetDouble(), 1e-9, 0, "installed tool psnr 07");
        // The installed tool draws the report's chart (ScottPlot on SkiaSharp and HarfBuzzSharp) and thumbnails.
        var html = Cli.ReportHtml.Load(report);
        Assert.Equal(GenMetrics.Cli.Reports.PairReportBuilder.SectionIds, html.SectionIds);
        Assert.Equal(3, html.DecodeAllImages().Count);
    }

    private static void AssertToolPackageContents(string toolPackage)
    {
        long size = new FileInfo(toolPackage).Length;
        Assert.True(size <= MaxToolPackageBytes, $"tool package is {size / 1e6:F1} MB, above {MaxToolPackageBytes / 1e6:F0} MB");
        using var zip = ZipFile.OpenRead(toolPackage);
        var names = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToList();
        foreach (string name in names)
        {
            string lower = name.ToLowerInvariant();
            Assert.False(lower.Contains("runtimes/ios", StringComparison.Ordinal) || lower.Contains("runtimes/tvos", StringComparison.Ordinal), $"iOS asset in the tool package: {name}");
            Assert.False(lower.Contains("android", StringComparison.Ordinal) || lower.EndsWith(".aar", StringComparison.Ordinal), $"Android asset in the tool package: {name}");
            Assert.False(lower.Contains("maccatalyst", StringComparison.Ordinal) || lower.Contains("xcframework", StringComparison.Ordinal), $"Apple mobile asset in the tool package: {name}");
            if (lower.EndsWith(".pdb", StringComparison.Ordinal))
                Assert.True(OwnPdbs.Contains(Path.GetFileName(name)) && !lower.Contains("runtimes/", StringComparison.Ordinal), $"dependency PDB in the tool package: {name}");
            int at = name.IndexOf("/runtimes/", StringComparison.Ordinal);
            if (at >= 0)
            {
                string rid = name[(at + "/runtimes/".Length)..].Split('/')[0];
                Assert.True(AllowedRuntimes.Contains(rid), $"native assets for runtime '{rid}' in the tool package: {name}");
            }
        }
        // The installed tool must run on every allowed desktop platform: both native libraries are there.
        foreach (string expected in new[]
        {
            "runtimes/linux-x64/native/libonnxruntime.so", "runtimes/linux-x64/native/libSkiaSharp.so",
            "runtimes/linux-arm64/native/libonnxruntime.so", "runtimes/linux-arm64/native/libSkiaSharp.so",
            "runtimes/win-x64/native/onnxruntime.dll", "runtimes/win-x64/native/libSkiaSharp.dll",
            "runtimes/osx-arm64/native/libonnxruntime.dylib", "runtimes/osx/native/libSkiaSharp.dylib",
            // HarfBuzzSharp, which ScottPlot (the report charts) needs for text.
            "runtimes/linux-x64/native/libHarfBuzzSharp.so", "runtimes/linux-arm64/native/libHarfBuzzSharp.so",
            "runtimes/win-x64/native/libHarfBuzzSharp.dll", "runtimes/osx/native/libHarfBuzzSharp.dylib",
        })
            Assert.Contains(names, n => n.EndsWith("/" + expected, StringComparison.Ordinal));
        Assert.Contains("README.md", names);

        var nuspecEntry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var nuspecStream = nuspecEntry.Open();
        var nuspec = XDocument.Load(nuspecStream);
        string Meta(string element) => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == element)?.Value ?? "";
        Assert.Equal("genmetrics", Meta("id"));
        Assert.Equal("MIT", Meta("license"));
        Assert.Equal("README.md", Meta("readme"));
        Assert.NotEqual("", Meta("authors"));
        Assert.DoesNotContain("Package Description", Meta("description"), StringComparison.Ordinal);
        Assert.NotNull(nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == "repository")?.Attribute("url"));
        Assert.Contains(nuspec.Descendants(), e => e.Name.LocalName == "packageType" && (string?)e.Attribute("name") == "DotnetTool");
    }

    /// <summary>The one version source: &lt;Version&gt; in Directory.Build.props.</summary>
    private static string ReadVersion(string repo)
    {
        var props = XDocument.Load(Path.Combine(repo, "Directory.Build.props"));
        string? version = props.Descendants("Version").FirstOrDefault()?.Value.Trim();
        Assert.False(string.IsNullOrEmpty(version), "no <Version> in Directory.Build.props");
        return version!;
    }

    /// <summary>The build inputs of both packages, without any bin/obj folder.</summary>
    private static void CopySources(string repo, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props", "Directory.Build.targets", "global.json", "README.md" })
        {
            string from = Path.Combine(repo, file);
            if (File.Exists(from)) File.Copy(from, Path.Combine(destination, file));
        }
        foreach (string project in new[] { "GenMetrics", "GenMetrics.Cli" })
            CopyTree(Path.Combine(repo, "src", project), Path.Combine(destination, "src", project));
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string dir in Directory.GetDirectories(from))
        {
            string name = Path.GetFileName(dir);
            if (name is "bin" or "obj") continue;
            CopyTree(dir, Path.Combine(to, name));
        }
    }

    /// <summary>
    /// A nuget.config that sees only the local feed and the package sources of the user's own NuGet config (so
    /// the registry is reached exactly as it is for any build on this machine); nuget.org when there is none.
    /// </summary>
    private static void WriteIsolatedNuGetConfig(string path, string feed)
    {
        var sources = new List<(string Key, string Value)>();
        foreach (string userConfig in UserNuGetConfigs())
        {
            try
            {
                var doc = XDocument.Load(userConfig);
                var packageSources = doc.Root?.Element("packageSources");
                var disabled = doc.Root?.Element("disabledPackageSources")?.Elements("add")
                    .Where(e => string.Equals((string?)e.Attribute("value"), "true", StringComparison.OrdinalIgnoreCase))
                    .Select(e => (string?)e.Attribute("key")).ToHashSet() ?? [];
                foreach (var add in packageSources?.Elements("add") ?? [])
                {
                    string? key = (string?)add.Attribute("key"), value = (string?)add.Attribute("value");
                    if (key is null || value is null || disabled.Contains(key) || sources.Any(s => s.Key == key)) continue;
                    sources.Add((key, value));
                }
            }
            catch (System.Xml.XmlException)
            {
            }
        }
        if (sources.Count == 0) sources.Add(("nuget.org", "https://api.nuget.org/v3/index.json"));
        var config = new XElement("configuration",
            new XElement("packageSources",
                new XElement("clear"),
                new XElement("add", new XAttribute("key", "genmetrics-local"), new XAttribute("value", feed)),
                sources.Select(s => new XElement("add", new XAttribute("key", s.Key), new XAttribute("value", s.Value)))));
        config.Save(path);
    }

    private static IEnumerable<string> UserNuGetConfigs()
    {
        string appData = Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData);
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        string[] candidates = RuntimeInformation.IsOSPlatform(OSPlatform.Windows)
            ? [Path.Combine(appData, "NuGet", "NuGet.Config")]
            : [Path.Combine(home, ".nuget", "NuGet", "NuGet.Config"), Path.Combine(home, ".nuget", "NuGet", "nuget.config")];
        return candidates.Where(File.Exists).Distinct();
    }

    /// <summary>The dotnet root of the runtime running this test (…/shared/Microsoft.NETCore.App/&lt;version&gt;/).</summary>
    private static string DotnetRoot() =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    private static string DotnetExecutable()
    {
        string? host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host)) return host;
        string local = Path.Combine(DotnetRoot(), RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "dotnet.exe" : "dotnet");
        return File.Exists(local) ? local : "dotnet";
    }

    private static void Dotnet(string workingDirectory, string[] args)
    {
        var r = Execute(DotnetExecutable(), workingDirectory, args);
        Assert.True(r.ExitCode == 0, $"dotnet {string.Join(' ', args)} exited {r.ExitCode}:\n{Tail(r.Out)}\n{Tail(r.Error)}");
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    private sealed record Result(int ExitCode, string Out, string Error);

    private static Result Execute(string file, string workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args) start.ArgumentList.Add(a);
        // The outer `dotnet test` build leaks MSBuild settings into this process; the child builds its own way.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["DOTNET_ROOT"] = DotnetRoot();
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        using var p = Process.Start(start)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        if (!p.WaitForExit(StepTimeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            Assert.Fail($"{file} {string.Join(' ', args)} ran past {StepTimeout.TotalMinutes} minutes");
        }
        p.WaitForExit();
        return new Result(p.ExitCode, stdout.ToString(), stderr.ToString());
    }
}
