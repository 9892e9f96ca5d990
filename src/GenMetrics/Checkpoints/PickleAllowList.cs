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

    /// <summary>Module prefix of the classes a TorchScript archive defines (<c>__torch__.torch.nn.modules.container.Sequential</c>, …).</summary>
    public const string TorchScriptModulePrefix = "__torch__";

    /// <summary>TorchScript's list builders: <c>build_intlist([1, 2])</c> is the list itself.</summary>
    public static readonly HashSet<string> TorchScriptListBuilders =
    [
        "torch.jit._pickle.build_intlist", "torch.jit._pickle.build_doublelist", "torch.jit._pickle.build_boollist",
        "torch.jit._pickle.build_tensorlist", "torch.jit._pickle.build_genericlist",
    ];

    /// <summary>TorchScript's type annotation of a container: <c>restore_type_tag(value, 'Dict[str, int]')</c> is the value.</summary>
    public const string TorchScriptRestoreTypeTag = "torch.jit._pickle.restore_type_tag";

    private static readonly HashSet<string> Functions =
    [
        OrderedDict, RebuildTensor, RebuildTensorV2, RebuildParameter, RebuildParameterWithState, TorchSize,
    ];

    /// <summary>
    /// Returns the global when allowed; otherwise throws, naming it. In a TorchScript archive
    /// (<paramref name="torchScript"/>) the archive's own <c>__torch__.*</c> classes are also allowed, as inert
    /// attribute holders (<see cref="TorchScriptObject"/>: nothing is imported, constructed with arguments or
    /// called, and their code is never read), and so are TorchScript's list builders and type tags, which return
    /// their argument.
    /// </summary>
    public static PickleGlobal Resolve(string module, string name, bool torchScript = false)
    {
        var global = new PickleGlobal(module, name);
        bool isStorage = module == "torch" && TensorDTypeFacts.FromStorageClass(name) is not null;
        bool isTorchScript = torchScript && (global.IsTorchScriptClass
            || TorchScriptListBuilders.Contains(global.FullName) || global.FullName == TorchScriptRestoreTypeTag);
        if (!isStorage && !isTorchScript && !Functions.Contains(global.FullName))
        {
            throw new CheckpointFormatException(
                $"refused to load: the pickle names the global '{global.FullName}', which a plain state dict never needs " +
                "(allowed: tensor rebuild functions, torch.*Storage, collections.OrderedDict)",
                "the file may be malicious or hold a whole pickled model; re-save it with torch.save(model.state_dict(), path)");
        }
        return global;
    }
}
