namespace GenMetrics.Checkpoints;

/// <summary>Element type of a tensor stored in a checkpoint.</summary>
public enum TensorDType
{
    /// <summary>IEEE 754 binary32 (<c>torch.float32</c>, safetensors <c>F32</c>).</summary>
    Float32,

    /// <summary>IEEE 754 binary64 (<c>torch.float64</c>, <c>F64</c>).</summary>
    Float64,

    /// <summary>IEEE 754 binary16 (<c>torch.float16</c>, <c>F16</c>).</summary>
    Float16,

    /// <summary>bfloat16: the upper 16 bits of a binary32 (<c>torch.bfloat16</c>, <c>BF16</c>).</summary>
    BFloat16,

    /// <summary>Signed 64-bit integer (<c>torch.int64</c>, <c>I64</c>).</summary>
    Int64,

    /// <summary>Signed 32-bit integer (<c>torch.int32</c>, <c>I32</c>).</summary>
    Int32,

    /// <summary>Signed 16-bit integer (<c>torch.int16</c>, <c>I16</c>).</summary>
    Int16,

    /// <summary>Signed 8-bit integer (<c>torch.int8</c>, <c>I8</c>).</summary>
    Int8,

    /// <summary>Unsigned 8-bit integer (<c>torch.uint8</c>, <c>U8</c>).</summary>
    UInt8,

    /// <summary>Boolean stored as one byte, 0 or 1 (<c>torch.bool</c>, <c>BOOL</c>).</summary>
    Bool,
}
