namespace GenMetrics.Checkpoints;

/// <summary>
/// The only globals a PyTorch state-dict pickle may name. Anything else (<c>os.system</c>,
/// <c>builtins.eval</c>, a model class…) is refused the moment the GLOBAL opcode is read, before any
/// further opcode runs, so a malicious checkpoint can never get anything constructed or called.
/// </summary>
internal static class PickleAllowList
{
    public const string OrderedDict = "collections.OrderedDict";
    public const string RebuildTensor = "torch._utils._rebuild_tensor";
    public const string RebuildTensorV2 = "torch._utils._rebuild_tensor_v2";
    public const string RebuildParameter = "torch._utils._rebuild_parameter";
    public const string RebuildParameterWithState = "torch._utils._rebuild_parameter_with_state";
    public const string TorchSize = "torch.Size";

    private static readonly HashSet<string> Functions =
    [
        OrderedDict, RebuildTensor, RebuildTensorV2, RebuildParameter, RebuildParameterWithState, TorchSize,
    ];

    /// <summary>Returns the global when allowed; otherwise throws, naming it.</summary>
    public static PickleGlobal Resolve(string module, string name)
    {
        var global = new PickleGlobal(module, name);
        bool isStorage = module == "torch" && TensorDTypeFacts.FromStorageClass(name) is not null;
        if (!isStorage && !Functions.Contains(global.FullName))
        {
            throw new CheckpointFormatException(
                $"refused to load: the pickle names the global '{global.FullName}', which a plain state dict never needs " +
                "(allowed: tensor rebuild functions, torch.*Storage, collections.OrderedDict)",
                "the file may be malicious or hold a whole pickled model; re-save it with torch.save(model.state_dict(), path)");
        }
        return global;
    }
}
