using GenMetrics.Checkpoints;
using GenMetrics.Numerics;

namespace GenMetrics.Tests.Numerics;

public sealed class NumpyRandomStateTests
{
    [Fact]
    public void FirstOutputsMatchMt19937ReferenceForSeed5489()
    {
        // The MT19937 reference implementation's first output for init_genrand(5489) is 3499211612.
        var rng = new NumpyRandomState(5489);
        Assert.Equal(3499211612u, rng.NextUInt32());
    }

    [Fact]
    public void PermutationEqualsTorchFidelityIscShuffle()
    {
        var expected = NpyFile.Read(Fixtures.Path("golden", "fid_tf", "isc_shuffle_permutation.npy")).ToInt64();
        var actual = new NumpyRandomState(2020).Permutation(expected.Length);
        Assert.Equal(expected, actual.Select(i => (long)i).ToArray());
    }

    [Fact]
    public void ChoicesEqualTorchFidelityKidSubsets()
    {
        var a = NpyFile.Read(Fixtures.Path("golden", "fid_tf", "kid_subset_indices.npy"));
        var expected = a.ToInt64();
        int subsets = a.Shape[0], size = a.Shape[2];
        int n1 = NpyFile.Read(Fixtures.Path("golden", "fid_tf", "features_set_b_2048.npy")).Shape[0];
        int n2 = NpyFile.Read(Fixtures.Path("golden", "fid_tf", "features_set_a_2048.npy")).Shape[0];
        var rng = new NumpyRandomState(2020);
        for (int s = 0; s < subsets; s++)
        {
            for (int which = 0; which < 2; which++)
            {
                var idx = rng.ChoiceWithoutReplacement(which == 0 ? n1 : n2, size);
                for (int k = 0; k < size; k++) Assert.Equal(expected[(s * 2 + which) * size + k], idx[k]);
            }
        }
    }
}
