using GenMetrics.Onnx;

namespace GenMetrics.Tests.Onnx;

public sealed class OnnxGraphBuilderTests
{
    [Fact]
    public void ConvReluPoolGraphRunsWithSymbolicDimensionsAndMatchesHandComputation()
    {
        // 1 input channel, 2 output channels, 3x3 kernel, pad 1; then ReLU and a global average pool.
        var builder = new OnnxGraphBuilder("test");
        string x = builder.AddInput("x", "batch", "1", "height", "width");
        float[] weight = [0, 0, 0, 0, 1, 0, 0, 0, 0, /* identity */ 0, 0, 0, 0, -2, 0, 0, 0, 0 /* -2x */];
        string w = builder.AddInitializer("w", weight, 2, 1, 3, 3);
        string b = builder.AddInitializer("b", [0.5f, 1f], 2);
        string conv = builder.Conv(x, w, b, kernel: [3, 3], pads: [1, 1, 1, 1]);
        string relu = builder.Relu(conv);
        builder.AddOutput(builder.Flatten(builder.GlobalAveragePool(relu)), "pooled");
        builder.AddOutput(relu, "map");

        using var session = new OnnxModelSession(builder.ToModelBytes(), new OnnxSessionSettings(IntraOpThreads: 1), "test graph");
        float[] input = [1, -1, 2, 0, /* padding beyond the shape: */ 99, 99];
        var outputs = session.Run([new OnnxTensor("x", input, [1, 1, 2, 2])], ["pooled", "map"]);

        // channel 0: relu(x + 0.5) = [1.5, 0, 2.5, 0.5] → mean 1.125; channel 1: relu(-2x + 1) = [0, 3, 0, 1] → 1.
        Assert.Equal([1, 2], outputs[0].Shape);
        Assert.Equal([1.125f, 1f], outputs[0].Data);
        Assert.Equal([1, 2, 2, 2], outputs[1].Shape);
        Assert.Equal([1.5f, 0f, 2.5f, 0.5f, 0f, 3f, 0f, 1f], outputs[1].Data);
    }

    [Fact]
    public void UnusedBranchesArePrunedFromTheModel()
    {
        var builder = new OnnxGraphBuilder("prune");
        string x = builder.AddInput("x", "n", "4");
        string big = builder.AddInitializer("unused_weight", new float[4096], 4, 1024);
        builder.MatMul(x, big);
        builder.AddOutput(builder.Mul(x, builder.Scalar(2f)), "doubled");

        byte[] model = builder.ToModelBytes();
        Assert.True(model.Length < 1024, $"the unused 16 KiB initializer should be dropped, model is {model.Length} bytes");
        using var session = new OnnxModelSession(model, new OnnxSessionSettings(), "prune graph");
        var outputs = session.Run([new OnnxTensor("x", [1, 2, 3, 4], [1, 4])], ["doubled"]);
        Assert.Equal([2f, 4f, 6f, 8f], outputs[0].Data);
    }

    [Fact]
    public void ReductionsSliceReshapeAndResizeFollowOpset17()
    {
        var builder = new OnnxGraphBuilder("ops");
        string x = builder.AddInput("x", "1", "2", "2", "2");
        builder.AddOutput(builder.Flatten(builder.ReduceSum(x, [1])), "sum");
        builder.AddOutput(builder.Flatten(builder.ReduceMean(x, [2, 3])), "mean");
        builder.AddOutput(builder.Reshape(builder.Slice(x, [1], [2], [1]), 1, 4), "slice");
        builder.AddOutput(builder.Resize(x, builder.Int64Vector(1, 2, 4, 4)), "resized");
        builder.AddOutput(builder.Sqrt(builder.Pow(x, builder.Scalar(2f))), "abs");

        using var session = new OnnxModelSession(builder.ToModelBytes(), new OnnxSessionSettings(), "ops graph");
        float[] input = [1, 2, 3, 4, -5, 6, 7, 8];
        var o = session.Run([new OnnxTensor("x", input, [1, 2, 2, 2])], ["sum", "mean", "slice", "resized", "abs"]);
        Assert.Equal([-4f, 8f, 10f, 12f], o[0].Data);
        Assert.Equal([2.5f, 4f], o[1].Data);
        Assert.Equal([-5f, 6f, 7f, 8f], o[2].Data);
        Assert.Equal([1, 2, 4, 4], o[3].Shape);
        // half-pixel bilinear 2x2 → 4x4: first row of channel 0 is 1, 1.25, 1.75, 2.
        Assert.Equal([1f, 1.25f, 1.75f, 2f], o[3].Data[..4]);
        Assert.Equal([1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f], o[4].Data);
    }

    [Fact]
    public void CudaRequestWithoutCudaProviderIsOneClearError()
    {
        var builder = new OnnxGraphBuilder("cuda");
        builder.AddOutput(builder.Relu(builder.AddInput("x", "1")), "y");
        var error = Assert.Throws<GenMetricsException>(() =>
        {
            using var session = new OnnxModelSession(builder.ToModelBytes(), new OnnxSessionSettings(ComputeDevice.Cuda), "cuda graph");
        });
        Assert.Contains("use ComputeDevice.Cpu", error.Message, StringComparison.Ordinal);
        Assert.Equal("Device", error.ParameterName);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void RunFailureIsAGenMetricsException()
    {
        var builder = new OnnxGraphBuilder("shape");
        builder.AddOutput(builder.Relu(builder.AddInput("x", "2", "3")), "y");
        using var session = new OnnxModelSession(builder.ToModelBytes(), new OnnxSessionSettings(), "shape graph");
        var error = Assert.Throws<GenMetricsException>(() => session.Run([new OnnxTensor("x", new float[8], [2, 4])], ["y"]));
        Assert.StartsWith("shape graph:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
