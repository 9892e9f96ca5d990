namespace GenMetrics.Checkpoints;

/// <summary>
/// A structural problem found while decoding a checkpoint (bad opcode, wrong argument type, index outside
/// the storage, forbidden global). Internal: <see cref="CheckpointReader"/> catches it and rethrows a
/// <see cref="GenMetricsException"/> that names the file, the problem and <see cref="Fix"/>.
/// </summary>
internal sealed class CheckpointFormatException(string message, string? fix = null) : Exception(message)
{
    /// <summary>What the user should do about it.</summary>
    public string Fix { get; } = fix ?? "the file is damaged or not a PyTorch state dict; download or export it again";
}
