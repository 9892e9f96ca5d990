namespace GenMetrics.Checkpoints;

/// <summary>The serialisation a checkpoint file was read from.</summary>
public enum CheckpointFormat
{
    /// <summary><c>torch.save</c> zip format (PyTorch ≥ 1.6 default): <c>&lt;stem&gt;/data.pkl</c> + <c>&lt;stem&gt;/data/&lt;key&gt;</c>.</summary>
    TorchZip,

    /// <summary><c>torch.save(..., _use_new_zipfile_serialization=False)</c>: magic, protocol and sys-info pickles, the object pickle, then raw storages.</summary>
    TorchLegacy,

    /// <summary>
    /// <c>torch.jit.save</c> TorchScript archive: the zip layout of <see cref="TorchZip"/> plus <c>constants.pkl</c>
    /// and <c>code/</c>; data.pkl is the module tree (read as inert attribute records; the code is never run).
    /// </summary>
    TorchScript,

    /// <summary>Hugging Face safetensors: 8-byte header length, JSON header, raw data.</summary>
    Safetensors,
}
