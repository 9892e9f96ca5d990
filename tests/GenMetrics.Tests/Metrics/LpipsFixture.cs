using System.Collections.Concurrent;
using GenMetrics.Imaging;
using GenMetrics.Metrics;

namespace GenMetrics.Tests.Metrics;

/// <summary>
/// Shared, lazily built LPIPS networks on the fixture trunks (<c>weights/*_features.pth</c>) and the decoded
/// fixture pairs, so the parity, batching and CLI tests build each network once.
/// </summary>
internal static class LpipsFixture
{
    private static readonly ConcurrentDictionary<LpipsNetwork, Lazy<Lpips>> Networks = new();
    private static readonly ConcurrentDictionary<string, Lazy<(RgbImage Reference, RgbImage Distorted)>> Pairs = new();

    /// <summary>The 24 pair numbers of <c>images/pairs</c>: "01" … "24".</summary>
    public static IReadOnlyList<string> PairNumbers { get; } = [.. Enumerable.Range(1, 24).Select(i => i.ToString("00", System.Globalization.CultureInfo.InvariantCulture))];

    public static string NetName(LpipsNetwork network) => network switch
    {
        LpipsNetwork.Alex => "alex",
        LpipsNetwork.Vgg => "vgg",
        _ => "squeeze",
    };

    /// <summary>The fixture trunk file of <paramref name="network"/>.</summary>
    public static string BackboneWeights(LpipsNetwork network) => Fixtures.Path("weights", network switch
    {
        LpipsNetwork.Alex => "alexnet_features.pth",
        LpipsNetwork.Vgg => "vgg16_features.pth",
        _ => "squeezenet1_1_features.pth",
    });

    public static Lpips Network(LpipsNetwork network) => Networks.GetOrAdd(network, n => new Lazy<Lpips>(() =>
        new Lpips(new LpipsOptions { Network = n, BackboneWeightsPath = BackboneWeights(n), Threads = 2 }))).Value;

    public static string PairPath(string number, string role) => Fixtures.Path("images", "pairs", $"{number}_{role}.png");

    public static (RgbImage Reference, RgbImage Distorted) Pair(string number) => Pairs.GetOrAdd(number, k => new Lazy<(RgbImage, RgbImage)>(() =>
        (ImageDecoder.Decode(PairPath(k, "ref")), ImageDecoder.Decode(PairPath(k, "dist"))))).Value;
}
