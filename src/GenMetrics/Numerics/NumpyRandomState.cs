namespace GenMetrics.Numerics;

/// <summary>
/// numpy's legacy <c>np.random.RandomState(seed)</c>, reproduced bit for bit for the draws the metrics need:
/// MT19937 with numpy's integer seeding (<c>init_genrand</c>), the legacy bounded-integer draw
/// (<c>random_interval</c>: smallest all-ones mask ≥ max, rejection of masked values &gt; max), the legacy
/// Fisher–Yates <c>shuffle</c> (i from n−1 down to 1, j = interval(i), swap), <c>permutation(n)</c> and
/// <c>choice(n, size, replace=False)</c> (which the legacy generator implements as <c>permutation(n)[:size]</c>).
/// </summary>
/// <remarks>
/// Verified against the indices torch-fidelity drew (<c>golden/fid_tf/isc_shuffle_permutation.npy</c>,
/// <c>kid_subset_indices.npy</c>), exactly.
/// </remarks>
internal sealed class NumpyRandomState
{
    private const int N = 624;
    private const int M = 397;
    private readonly uint[] _mt = new uint[N];
    private int _index;

    /// <summary>Seeds as <c>RandomState(seed)</c> does for an integer seed in [0, 2³²).</summary>
    public NumpyRandomState(uint seed)
    {
        _mt[0] = seed;
        for (int i = 1; i < N; i++) _mt[i] = unchecked(1812433253u * (_mt[i - 1] ^ (_mt[i - 1] >> 30)) + (uint)i);
        _index = N;
    }

    /// <summary>The next tempered 32-bit output of MT19937.</summary>
    public uint NextUInt32()
    {
        if (_index >= N) Twist();
        uint y = _mt[_index++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    private void Twist()
    {
        for (int i = 0; i < N; i++)
        {
            uint y = (_mt[i] & 0x80000000u) | (_mt[(i + 1) % N] & 0x7fffffffu);
            uint next = _mt[(i + M) % N] ^ (y >> 1);
            if ((y & 1) != 0) next ^= 0x9908b0dfu;
            _mt[i] = next;
        }
        _index = 0;
    }

    /// <summary>numpy's legacy <c>random_interval(max)</c>: a uniform integer in [0, max].</summary>
    public ulong Interval(ulong max)
    {
        if (max == 0) return 0;
        ulong mask = max;
        mask |= mask >> 1;
        mask |= mask >> 2;
        mask |= mask >> 4;
        mask |= mask >> 8;
        mask |= mask >> 16;
        mask |= mask >> 32;
        ulong value;
        if (max <= 0xffffffffUL)
        {
            while ((value = NextUInt32() & mask) > max) { }
        }
        else
        {
            while ((value = (((ulong)NextUInt32() << 32) | NextUInt32()) & mask) > max) { }
        }
        return value;
    }

    /// <summary>Legacy <c>shuffle</c> of a 1-d array.</summary>
    public void Shuffle(Span<int> values)
    {
        for (int i = values.Length - 1; i >= 1; i--)
        {
            int j = (int)Interval((ulong)i);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    /// <summary><c>permutation(n)</c>: a shuffled <c>arange(n)</c>.</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p);
        return p;
    }

    /// <summary><c>choice(n, size, replace=False)</c> of the legacy generator: <c>permutation(n)[:size]</c>.</summary>
    public int[] ChoiceWithoutReplacement(int n, int size)
    {
        if (size > n) throw new ArgumentOutOfRangeException(nameof(size), "cannot take a larger sample than population");
        return Permutation(n)[..size];
    }
}
