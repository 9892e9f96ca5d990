namespace GenMetrics.Networks;

/// <summary>
/// Output lengths of convolution and max-pooling layers along one spatial axis, with PyTorch's rules
/// (<c>pooling_output_shape</c>): floor division, and in ceil mode the last window must start inside the
/// input. A result below 1 means PyTorch refuses the input ("Output size is too small").
/// </summary>
internal static class FeatureMapSize
{
    /// <summary>floor((n + 2·pad − kernel)/stride) + 1.</summary>
    public static int Conv(int length, int kernel, int stride, int pad) =>
        FloorDiv(length + 2 * pad - kernel, stride) + 1;

    /// <summary>Max-pool output length without padding; ceil mode drops a window that would start past the input.</summary>
    public static int MaxPool(int length, int kernel, int stride, bool ceilMode)
    {
        int numerator = length - kernel + (ceilMode ? stride - 1 : 0);
        int output = FloorDiv(numerator, stride) + 1;
        if (ceilMode && (output - 1) * stride >= length) output--;
        return output;
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);
}
