using SweepRunner.Contracts.Training;
using SweepRunner.Models.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Models.Tests.Vae;

public sealed class ArchitectureTests
{
    [Theory]
    [InlineData(ModelKind.Mlp, 807_700)]
    [InlineData(ModelKind.Cnn, 134_165)]
    [InlineData(ModelKind.Cvae, 174_437)]
    public void Trainable_parameter_count_matches_the_book(ModelKind kind, long expected)
    {
        using var generator = new Generator(0);
        using var model = VariationalAutoencoder.Create(kind, latentDim: 2, generator);
        Assert.Equal(expected, model.TrainableParameterCount);
    }

    [Theory]
    [InlineData(ModelKind.Mlp)]
    [InlineData(ModelKind.Cnn)]
    [InlineData(ModelKind.Cvae)]
    public void Encoder_and_decoder_shapes_fit_flat_28x28_images(ModelKind kind)
    {
        using var generator = new Generator(0);
        using var model = VariationalAutoencoder.Create(kind, latentDim: 3, generator);
        using var scope = NewDisposeScope();
        var images = rand([5, 784]);
        var labels = model.IsConditional ? nn.functional.one_hot(arange(5, ScalarType.Int64), 10).to_type(ScalarType.Float32) : null;

        var (mean, logVar) = model.Encode(images, labels);
        var logits = model.DecodeLogits(mean, labels);

        Assert.Equal(new long[] { 5, 3 }, mean.shape);
        Assert.Equal(new long[] { 5, 3 }, logVar.shape);
        Assert.Equal(new long[] { 5, 784 }, logits.shape);
        Assert.Equal(kind == ModelKind.Cvae, model.IsConditional);
    }

    [Fact]
    public void Conditional_model_refuses_to_run_without_labels()
    {
        using var generator = new Generator(0);
        using var model = VariationalAutoencoder.Create(ModelKind.Cvae, latentDim: 2, generator);
        using var images = rand([2, 784]);
        var error = Assert.Throws<ArgumentException>(() => model.Encode(images, null));
        Assert.Contains("labels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ModelKind.Mlp)]
    [InlineData(ModelKind.Cvae)]
    public void Initialisation_is_glorot_uniform_with_zero_biases(ModelKind kind)
    {
        using var generator = new Generator(7);
        using var model = VariationalAutoencoder.Create(kind, latentDim: 2, generator);
        foreach (var (name, parameter) in model.named_parameters())
        {
            if (name.EndsWith("bias", StringComparison.Ordinal))
            {
                Assert.Equal(0f, parameter.abs().max().item<float>());
                continue;
            }

            long receptiveField = parameter.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
            double limit = Math.Sqrt(6.0 / ((parameter.shape[0] + parameter.shape[1]) * receptiveField));
            Assert.True(parameter.abs().max().item<float>() <= limit, $"{name} exceeds the Glorot limit {limit}");
            if (parameter.numel() >= 10_000)
            {
                // A uniform on [-l, l] has standard deviation l / sqrt(3).
                double std = parameter.std().item<float>();
                Assert.InRange(std, 0.95 * limit / Math.Sqrt(3), 1.05 * limit / Math.Sqrt(3));
            }
        }
    }

    [Fact]
    public void Same_generator_seed_gives_identical_weights()
    {
        using var first = new Generator(3);
        using var second = new Generator(3);
        using var a = VariationalAutoencoder.Create(ModelKind.Cnn, 2, first);
        using var b = VariationalAutoencoder.Create(ModelKind.Cnn, 2, second);
        foreach (var ((_, pa), (_, pb)) in a.named_parameters().Zip(b.named_parameters()))
        {
            Assert.True(pa.equal(pb).all().item<bool>());
        }
    }

    [Fact]
    public void Strided_convolution_pads_like_keras_same()
    {
        // Keras "same" with stride 2 pads after only: an impulse at the last row/column of a 28×28 image
        // must reach the encoder output, while PyTorch's symmetric padding would also see row -1.
        using var generator = new Generator(0);
        using var model = VariationalAutoencoder.Create(ModelKind.Cnn, 2, generator);
        using var scope = NewDisposeScope();
        var image = zeros([1, 784]);
        var (mean, _) = model.Encode(image, null);
        image[0, 783] = 1f;
        var (shifted, _) = model.Encode(image, null);
        Assert.False(mean.allclose(shifted));
    }
}
