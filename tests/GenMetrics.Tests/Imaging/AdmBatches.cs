using System.Security.Cryptography;
using GenMetrics.Checkpoints;
using GenMetrics.Imaging;

namespace GenMetrics.Tests.Imaging;

/// <summary>
/// Builds ADM sample batches from the fixture images the way <c>golden/adm</c> did:
/// <c>np.savez(path, arr_0=np.stack([np.array(Image.open(f).convert('RGB')) for f in sorted(set/*.png)]))</c>.
/// </summary>
internal static class AdmBatches
{
    /// <summary>arr_0 bytes (N×H×W×3, C order) and shape of a fixture image folder.</summary>
    public static (byte[] Pixels, int[] Shape) Stack(string folder)
    {
        string[] files = Directory.GetFiles(Fixtures.Path("images", folder), "*.png").Order(StringComparer.Ordinal).ToArray();
        var images = files.Select(ImageDecoder.Decode).ToArray();
        int h = images[0].Height, w = images[0].Width;
        var pixels = new byte[images.Length * h * w * 3];
        for (int i = 0; i < images.Length; i++)
        {
            Assert.Equal((w, h), (images[i].Width, images[i].Height));
            images[i].Pixels.CopyTo(pixels, i * h * w * 3);
        }
        return (pixels, [images.Length, h, w, 3]);
    }

    /// <summary>SHA-256 of arr_0's C-order bytes (the golden's <c>arr_0_sha256</c>).</summary>
    public static string Sha256(byte[] pixels) => Convert.ToHexStringLower(SHA256.HashData(pixels));

    /// <summary>Writes an ADM batch with <c>arr_0</c> and any extra arrays (e.g. mu, sigma, mu_s, sigma_s).</summary>
    public static string Write(string path, string folder, params KeyValuePair<string, NpyArray>[] extra)
    {
        var (pixels, shape) = Stack(folder);
        NpzFile.Write(path, [new("arr_0", NpyArray.FromUInt8(pixels, shape)), .. extra], compress: false);
        return path;
    }
}
