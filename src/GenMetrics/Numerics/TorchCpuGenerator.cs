namespace GenMetrics.Numerics;

/// <summary>
/// torch's default CPU generator after <c>torch.manual_seed(seed)</c>, for the one draw the metrics need:
/// <c>torch.randperm(n)</c> as torch 1.13's CPU kernel computes it.
/// </summary>
/// <remarks>
/// <c>CPUGeneratorImpl</c> is MT19937 seeded with the low 32 bits of the seed by the standard
/// <c>init_genrand</c> recurrence (the same engine and seeding as numpy's legacy <c>RandomState(int)</c>, so the
/// core is <see cref="NumpyRandomState.NextUInt32"/>); <c>random()</c> is one tempered 32-bit output.
/// <c>randperm_cpu</c> fills 0..n−1, then for i = 0 … n−2 draws z = random() mod (n − i) and swaps entries i
/// and i + z (a forward Fisher–Yates with a modulo, not numpy's masked rejection). Successive calls continue
/// the same stream, as successive <c>randperm</c> calls on the global generator do.
/// </remarks>
internal sealed class TorchCpuGenerator
{
    private readonly NumpyRandomState _engine;

    /// <summary>The generator as <c>torch.manual_seed(seed)</c> leaves it.</summary>
    public TorchCpuGenerator(ulong seed)
    {
        _engine = new NumpyRandomState(unchecked((uint)(seed & 0xffffffffUL)));
    }

    /// <summary><c>torch.randperm(n)</c> on the CPU (int64 result, returned as int).</summary>
    public int[] Randperm(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var result = new int[n];
        for (int i = 0; i < n; i++) result[i] = i;
        for (int i = 0; i < n - 1; i++)
        {
            int z = (int)(_engine.NextUInt32() % (uint)(n - i));
            (result[i], result[i + z]) = (result[i + z], result[i]);
        }
        return result;
    }
}
