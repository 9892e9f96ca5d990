namespace GenMetrics.Imaging;

/// <summary>One decoded image and the entry it came from, as yielded by <see cref="ImageSource.DecodeInOrder"/>.</summary>
/// <param name="Entry">The file (or archive member) that was decoded.</param>
/// <param name="Image">Its pixels.</param>
public readonly record struct DecodedImage(ImageEntry Entry, RgbImage Image);
