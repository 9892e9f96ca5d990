namespace GenMetrics.Checkpoints;

/// <summary>Sizes and the names each serialisation gives to a <see cref="TensorDType"/>.</summary>
internal static class TensorDTypeFacts
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 or TensorDType.Int64 => 8,
        TensorDType.Float32 or TensorDType.Int32 => 4,
        TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Int16 => 2,
        _ => 1,
    };

    /// <summary>True for the floating-point types.</summary>
    public static bool IsFloatingPoint(this TensorDType dtype) =>
        dtype is TensorDType.Float32 or TensorDType.Float64 or TensorDType.Float16 or TensorDType.BFloat16;

    /// <summary>The dtype of a legacy torch storage class (<c>torch.FloatStorage</c> → Float32), or null.</summary>
    public static TensorDType? FromStorageClass(string name) => name switch
    {
        "FloatStorage" => TensorDType.Float32,
        "DoubleStorage" => TensorDType.Float64,
        "HalfStorage" => TensorDType.Float16,
        "BFloat16Storage" => TensorDType.BFloat16,
        "LongStorage" => TensorDType.Int64,
        "IntStorage" => TensorDType.Int32,
        "ShortStorage" => TensorDType.Int16,
        "CharStorage" => TensorDType.Int8,
        "ByteStorage" => TensorDType.UInt8,
        "BoolStorage" => TensorDType.Bool,
        _ => null,
    };

    /// <summary>The dtype of a safetensors header dtype string (<c>"F32"</c> → Float32), or null.</summary>
    public static TensorDType? FromSafetensorsName(string name) => name switch
    {
        "F32" => TensorDType.Float32,
        "F64" => TensorDType.Float64,
        "F16" => TensorDType.Float16,
        "BF16" => TensorDType.BFloat16,
        "I64" => TensorDType.Int64,
        "I32" => TensorDType.Int32,
        "I16" => TensorDType.Int16,
        "I8" => TensorDType.Int8,
        "U8" => TensorDType.UInt8,
        "BOOL" => TensorDType.Bool,
        _ => null,
    };

    /// <summary>The safetensors header name of a dtype (inverse of <see cref="FromSafetensorsName"/>).</summary>
    public static string SafetensorsName(this TensorDType dtype) => dtype switch
    {
        TensorDType.Float32 => "F32",
        TensorDType.Float64 => "F64",
        TensorDType.Float16 => "F16",
        TensorDType.BFloat16 => "BF16",
        TensorDType.Int64 => "I64",
        TensorDType.Int32 => "I32",
        TensorDType.Int16 => "I16",
        TensorDType.Int8 => "I8",
        TensorDType.UInt8 => "U8",
        _ => "BOOL",
    };
}
