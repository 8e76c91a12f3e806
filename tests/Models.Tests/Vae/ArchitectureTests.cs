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
    public void Strided_convolutions_pad_like_keras_same_not_symmetrically()
    {
        // On an even side, Keras "same" with k3 s2 pads 0 before and 1 after; PyTorch's padding: 1 pads 1 on both
        // sides. Both give 14 and 7 wide maps, so only the values tell them apart: the encoder is rebuilt by hand
        // from the model's own weights with each padding and must match the Keras one (to float rounding: the model
        // computes it on mirrored maps, where oneDNN sums in another order).
        using var generator = new Generator(0);
        using var model = VariationalAutoencoder.Create(ModelKind.Cnn, 2, generator);
        using var scope = NewDisposeScope();
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var images = rand([4, 784], generator: generator);

        Tensor EncodeMean(Func<Tensor, string, Tensor> stridedConv)
        {
            var x = nn.functional.relu(stridedConv(images.view(-1, 1, 28, 28), "encoderConv1"));
            x = nn.functional.relu(stridedConv(x, "encoderConv2"));
            var hidden = nn.functional.relu(nn.functional.linear(x.flatten(1), weights["encoderDense.weight"], weights["encoderDense.bias"]));
            return nn.functional.linear(hidden, weights["zMean.weight"], weights["zMean.bias"]);
        }

        var keras = EncodeMean((x, layer) =>
            nn.functional.conv2d(nn.functional.pad(x, (0, 1, 0, 1)), weights[$"{layer}.weight"], weights[$"{layer}.bias"], new long[] { 2, 2 }));
        var symmetric = EncodeMean((x, layer) =>
            nn.functional.conv2d(x, weights[$"{layer}.weight"], weights[$"{layer}.bias"], new long[] { 2, 2 }, new long[] { 1, 1 }));

        var (mean, _) = model.Encode(images, null);
        Assert.True(mean.allclose(keras, rtol: 1e-5, atol: 1e-6),
            $"the encoder differs from Keras' pad-after convolution by up to {(mean - keras).abs().max().item<float>()}");
        Assert.False(mean.allclose(symmetric), "a symmetrically padded encoder gives the same means: the test tells nothing apart");
    }

    [Fact]
    public void Strided_transposed_convolutions_crop_like_keras_same_not_symmetrically()
    {
        // Keras' Conv2DTranspose "same" (k3 s2) keeps the first 2n of the 2n + 1 wide full output; PyTorch's
        // padding: 1, output_padding: 1 keeps rows and columns 1 … 2n instead. The decoder is rebuilt by hand both ways
        // and must match the Keras one to float rounding.
        using var generator = new Generator(0);
        using var model = VariationalAutoencoder.Create(ModelKind.Cnn, 2, generator);
        using var scope = NewDisposeScope();
        var weights = model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        var latents = randn([4, 2], generator: generator);

        Tensor DecodeLogits(Func<Tensor, string, Tensor> stridedTransposedConv)
        {
            var x = nn.functional.relu(nn.functional.linear(latents, weights["decoderDense.weight"], weights["decoderDense.bias"])).view(-1, 64, 7, 7);
            x = nn.functional.relu(stridedTransposedConv(x, "decoderConv1"));
            x = nn.functional.relu(stridedTransposedConv(x, "decoderConv2"));
            return nn.functional.conv_transpose2d(x, weights["decoderOutput.weight"], weights["decoderOutput.bias"], new long[] { 1, 1 }, new long[] { 1, 1 }).flatten(1);
        }

        var keras = DecodeLogits((x, layer) =>
        {
            long side = 2 * x.shape[2];
            return nn.functional.conv_transpose2d(x, weights[$"{layer}.weight"], weights[$"{layer}.bias"], new long[] { 2, 2 })[.., .., ..(int)side, ..(int)side];
        });
        var symmetric = DecodeLogits((x, layer) =>
            nn.functional.conv_transpose2d(x, weights[$"{layer}.weight"], weights[$"{layer}.bias"], new long[] { 2, 2 }, new long[] { 1, 1 }, new long[] { 1, 1 }));

        var logits = model.DecodeLogits(latents, null);
        Assert.True(logits.allclose(keras, rtol: 1e-5, atol: 1e-6),
            $"the decoder differs from Keras' crop-after transposed convolution by up to {(logits - keras).abs().max().item<float>()}");
        Assert.False(logits.allclose(symmetric), "a symmetrically cropped decoder gives the same logits: the test tells nothing apart");
    }
}
