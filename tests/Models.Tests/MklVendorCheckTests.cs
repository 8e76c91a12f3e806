using System.Runtime.Intrinsics.X86;
using SweepRunner.Models.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Models.Tests;

[Collection(ProcessThreadCountGroup.Name)]
public sealed class MklVendorCheckTests
{
    [Fact]
    public void Building_a_model_has_MKL_take_a_CPU_with_AVX_512_for_Intels_and_leaves_others_as_they_are()
    {
        using var model = new MlpVae(latentDim: 2);

        bool expected = Avx512F.IsSupported && !MklVendorCheck.IsIntel() && Environment.GetEnvironmentVariable("MKL_CBWR") is null;
        Assert.Equal(expected, MklVendorCheck.AnswerIntel());
        Assert.Equal(expected || MklVendorCheck.IsIntel() ? 1 : 0, MklVendorCheck.Answer());
        // Once per process: a second model changes nothing.
        using var second = new MlpVae(latentDim: 2);
        Assert.Equal(expected, MklVendorCheck.AnswerIntel());
    }

    [Fact]
    public void A_product_is_the_same_to_the_last_bit_on_one_thread_and_on_two()
    {
        // [128, 784] · [784, 512]: the shape at which Intel's kernels split the sums between 2 threads unless strict.
        MklVendorCheck.AnswerIntel();
        using var generator = new Generator(3);
        using var left = randn([128, 784], generator: generator);
        using var right = randn([784, 512], generator: generator);
        int threads = get_num_threads();
        try
        {
            set_num_threads(1);
            using var one = left.mm(right);
            set_num_threads(2);
            using var two = left.mm(right);
            Assert.True(one.allclose(two, rtol: 0, atol: 0));
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    [Theory]
    [InlineData(128, 784, 512)]
    [InlineData(512, 128, 784)]
    [InlineData(128, 512, 2)]
    [InlineData(37, 65, 129)]
    public void Products_after_it_agree_with_sums_in_double_precision(int m, int k, int n)
    {
        MklVendorCheck.AnswerIntel();
        var generator = new Random(m * 31 + k * 7 + n);
        float[] left = RandomValues(generator, m * k), right = RandomValues(generator, k * n);

        using var leftMatrix = tensor(left).reshape(m, k);
        using var rightMatrix = tensor(right).reshape(k, n);
        using var product = leftMatrix.mm(rightMatrix);
        float[] actual = product.data<float>().ToArray();

        for (int row = 0; row < m; row++)
        {
            for (int column = 0; column < n; column++)
            {
                double sum = 0, magnitude = 0;
                for (int i = 0; i < k; i++)
                {
                    double term = (double)left[row * k + i] * right[i * n + column];
                    sum += term;
                    magnitude += Math.Abs(term);
                }
                // A float32 sum of k products, in any order, is within k units of rounding (2⁻²⁴) of their magnitude.
                Assert.True(Math.Abs(actual[row * n + column] - sum) <= k * Math.ScaleB(1.0, -24) * magnitude,
                    $"[{row}, {column}]: {actual[row * n + column]} against {sum}");
            }
        }
    }

    private static float[] RandomValues(Random generator, int count) =>
        Enumerable.Range(0, count).Select(_ => (float)(generator.NextDouble() * 2 - 1)).ToArray();
}
