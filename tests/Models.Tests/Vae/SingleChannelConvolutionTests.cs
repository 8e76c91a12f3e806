using SweepRunner.Models.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Models.Tests.Vae;

/// <summary>The managed output-layer convolution against libtorch's transposed convolution it stands for.</summary>
[Collection(ProcessThreadCountGroup.Name)]
public sealed class SingleChannelConvolutionTests
{
    [Theory]
    [InlineData(32, 28, 28, true)]   // the CNN decoder's output layer, channels-last
    [InlineData(5, 7, 6, true)]      // channels that leave a tail after the last whole vector, a non-square map
    [InlineData(3, 1, 4, false)]     // one row (every tap row but one outside), NCHW maps (copied)
    public void Forward_and_gradients_match_libtorchs_transposed_convolution(int channels, int height, int width, bool channelsLast)
    {
        using var scope = NewDisposeScope();
        var (maps, weight, bias, upstream) = Inputs(images: 6, channels, height, width, channelsLast, seed: 1);
        var reference = Leaves(maps, weight, bias);
        var managed = Leaves(maps, weight, bias);

        var expected = nn.functional.conv_transpose2d(reference.Maps, reference.Weight.flip(2, 3), reference.Bias, padding: [1, 1]);
        var actual = SingleChannelConvolution.Apply(managed.Maps, managed.Weight, managed.Bias);
        (expected * upstream).sum().backward();
        (actual * upstream).sum().backward();

        Assert.Equal(expected.shape, actual.shape);
        AssertClose(expected, actual, "output");
        AssertClose(reference.Maps.grad!, managed.Maps.grad!, "maps' gradient");
        AssertClose(reference.Weight.grad!, managed.Weight.grad!, "weight's gradient");
        AssertClose(reference.Bias.grad!, managed.Bias.grad!, "bias's gradient");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Is_reproducible_for_a_thread_count_and_matches_across_counts(int threads)
    {
        using var scope = NewDisposeScope();
        var (maps, weight, bias, upstream) = Inputs(images: 7, channels: 32, height: 9, width: 9, channelsLast: true, seed: 2);
        int before = get_num_threads();
        set_num_threads(threads);
        try
        {
            var first = Run(maps, weight, bias, upstream);
            var second = Run(maps, weight, bias, upstream);
            set_num_threads(1);
            var oneThread = Run(maps, weight, bias, upstream);

            foreach (var (a, b, c) in first.Zip(second, oneThread))
            {
                Assert.True(a.eq(b).all().item<bool>(), "two runs with the same thread count differ");
                AssertClose(c, a, "result against one thread's");
            }
        }
        finally
        {
            set_num_threads(before);
        }
    }

    [Fact]
    public void Without_gradients_to_record_gives_the_same_output_and_no_graph()
    {
        using var scope = NewDisposeScope();
        var (maps, weight, bias, _) = Inputs(images: 3, channels: 32, height: 6, width: 5, channelsLast: true, seed: 3);
        var leaves = Leaves(maps, weight, bias);
        var recorded = SingleChannelConvolution.Apply(leaves.Maps, leaves.Weight, leaves.Bias);

        Tensor underNoGrad, underInference;
        using (no_grad()) underNoGrad = SingleChannelConvolution.Apply(leaves.Maps, leaves.Weight, leaves.Bias);
        using (inference_mode()) underInference = SingleChannelConvolution.Apply(leaves.Maps, leaves.Weight, leaves.Bias);
        var constants = SingleChannelConvolution.Apply(maps, weight, bias);

        Assert.True(recorded.requires_grad);
        foreach (var output in new[] { underNoGrad, underInference, constants })
        {
            Assert.False(output.requires_grad);
            Assert.True(output.eq(recorded.detach()).all().item<bool>(), "the output differs from the recorded run's");
        }
    }

    [Fact]
    public void Refuses_a_weight_that_is_not_one_output_channel_of_3x3()
    {
        using var scope = NewDisposeScope();
        var maps = rand([2, 4, 5, 5]);
        var error = Assert.Throws<ArgumentException>(() => SingleChannelConvolution.Apply(maps, rand([4, 2, 3, 3]), zeros(1)));
        Assert.Contains("[4, 1, 3, 3]", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Output, maps' gradient, weight's gradient and bias's gradient of one forward and backward.</summary>
    private static Tensor[] Run(Tensor maps, Tensor weight, Tensor bias, Tensor upstream)
    {
        var leaves = Leaves(maps, weight, bias);
        var output = SingleChannelConvolution.Apply(leaves.Maps, leaves.Weight, leaves.Bias);
        (output * upstream).sum().backward();
        return [output.detach(), leaves.Maps.grad!, leaves.Weight.grad!, leaves.Bias.grad!];
    }

    private static (Tensor Maps, Tensor Weight, Tensor Bias, Tensor Upstream) Inputs(
        int images, int channels, int height, int width, bool channelsLast, int seed)
    {
        using var generator = new TorchSharp.torch.Generator((ulong)seed);
        var maps = channelsLast
            ? randn([images, height, width, channels], generator: generator).permute(0, 3, 1, 2)
            : randn([images, channels, height, width], generator: generator);
        var weight = randn([channels, 1, 3, 3], generator: generator);
        var bias = randn([1], generator: generator);
        var upstream = randn([images, 1, height, width], generator: generator);
        return (maps, weight, bias, upstream);
    }

    /// <summary>Fresh leaves with the given values, in the same memory layout, that collect their own gradients.</summary>
    private static (Tensor Maps, Tensor Weight, Tensor Bias) Leaves(Tensor maps, Tensor weight, Tensor bias) =>
        (maps.detach().clone().requires_grad_(), weight.detach().clone().requires_grad_(), bias.detach().clone().requires_grad_());

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = expected.abs().max().item<float>();
        double difference = (expected - actual).abs().max().item<float>();
        Assert.True(difference <= 1e-5 * Math.Max(scale, 1), $"{what}: largest difference {difference} against values up to {scale}");
    }
}
