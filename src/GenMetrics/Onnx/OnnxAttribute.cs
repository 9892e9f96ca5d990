namespace GenMetrics.Onnx;

/// <summary>One ONNX node attribute (AttributeProto): an int, a float, a string, or a list of ints or floats.</summary>
internal sealed record OnnxAttribute(string Name, OnnxAttributeKind Kind, long Int = 0, float Float = 0,
    string? Text = null, long[]? Ints = null, float[]? Floats = null)
{
    public static OnnxAttribute Of(string name, long value) => new(name, OnnxAttributeKind.Int, Int: value);

    public static OnnxAttribute Of(string name, float value) => new(name, OnnxAttributeKind.Float, Float: value);

    public static OnnxAttribute Of(string name, string value) => new(name, OnnxAttributeKind.String, Text: value);

    public static OnnxAttribute Of(string name, params long[] values) => new(name, OnnxAttributeKind.Ints, Ints: values);

    public static OnnxAttribute Of(string name, params float[] values) => new(name, OnnxAttributeKind.Floats, Floats: values);

    /// <summary>Encodes AttributeProto: name=1, f=2, i=3, s=4, floats=7, ints=8, type=20.</summary>
    public void Encode(ProtobufWriter writer)
    {
        writer.WriteString(1, Name);
        switch (Kind)
        {
            case OnnxAttributeKind.Float:
                writer.WriteFloat(2, Float);
                break;
            case OnnxAttributeKind.Int:
                writer.WriteVarint(3, Int);
                break;
            case OnnxAttributeKind.String:
                writer.WriteString(4, Text!);
                break;
            case OnnxAttributeKind.Floats:
                foreach (float f in Floats!)
                {
                    writer.WriteFloat(7, f);
                }
                break;
            case OnnxAttributeKind.Ints:
                foreach (long i in Ints!)
                {
                    writer.WriteVarint(8, i);
                }
                break;
        }
        writer.WriteVarint(20, (long)Kind);
    }
}

/// <summary>AttributeProto.AttributeType values used by GenMetrics.</summary>
internal enum OnnxAttributeKind
{
    Float = 1,
    Int = 2,
    String = 3,
    Floats = 6,
    Ints = 7,
}
