namespace GenMetrics.Imaging;

/// <summary>A reference image and the distorted image paired with it.</summary>
/// <param name="Reference">The reference (REF) entry.</param>
/// <param name="Distorted">The distorted (DIST) entry with the same relative path (or the other single file).</param>
public sealed record ImagePair(ImageEntry Reference, ImageEntry Distorted);

/// <summary>A pair with both images decoded, as yielded by <see cref="ImagePairs.DecodeInOrder"/>.</summary>
/// <param name="Pair">The entries.</param>
/// <param name="Reference">The decoded reference.</param>
/// <param name="Distorted">The decoded distorted image.</param>
public readonly record struct DecodedPair(ImagePair Pair, RgbImage Reference, RgbImage Distorted);
