namespace GenMetrics.Checkpoints;

/// <summary>What a <c>.npy</c> header says about the data after it.</summary>
/// <param name="Dtype">numpy kind and item size without the byte order ("f4", "i8", …).</param>
/// <param name="BigEndian">Whether multi-byte items are stored big-endian.</param>
/// <param name="Fortran">Whether the data is in column-major order.</param>
/// <param name="Shape">The array shape.</param>
/// <param name="ItemSize">Bytes per item.</param>
internal sealed record NpyHeader(string Dtype, bool BigEndian, bool Fortran, int[] Shape, int ItemSize);
