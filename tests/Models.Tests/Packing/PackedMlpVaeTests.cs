using SweepRunner.Contracts.Training;
using SweepRunner.Models.Packing;
using SweepRunner.Models.Vae;
using static TorchSharp.torch;

namespace SweepRunner.Models.Tests.Packing;

public sealed class PackedMlpVaeTests
{
    [Fact]
    public void Each_member_computes_what_its_model_alone_computes()
    {
        var models = Enumerable.Range(0, 3).Select(Mlp).ToList();
        using var packed = new PackedMlpVae(models);
        using var generator = new Generator(7);
        using var images = rand([5, VariationalAutoencoder.PixelCount], generator: generator);
        using var latents = randn([3, 5, 2], generator: generator);
        using var noGrad = no_grad();

        using var packedImages = images.expand(3, -1, -1);
        var (mean, logVar) = packed.Encode(packedImages);
        using var logits = packed.DecodeLogits(latents);
        for (int member = 0; member < models.Count; member++)
        {
            var (expectedMean, expectedLogVar) = models[member].Encode(images, null);
            using var expectedLogits = models[member].DecodeLogits(latents[member], null);
            Assert.True(mean[member].allclose(expectedMean, rtol: 1e-5, atol: 1e-6), $"member {member}: μ");
            Assert.True(logVar[member].allclose(expectedLogVar, rtol: 1e-5, atol: 1e-6), $"member {member}: log σ²");
            Assert.True(logits[member].allclose(expectedLogits, rtol: 1e-5, atol: 1e-5), $"member {member}: logits");
        }
        // The members differ, so a mix-up of slots would show above.
        Assert.False(mean[0].allclose(mean[1]));
        foreach (var model in models) model.Dispose();
    }

    [Fact]
    public void Each_members_gradients_at_the_training_batch_are_those_of_its_model_alone_bit_for_bit()
    {
        // At the training batch size: a packed trial follows its run alone over an epoch only if each step's gradients
        // are the same to the last bit, and MKL's batched and single products agree only where its kernels sum alike
        // (the decoder's input gradient did not before MKL's strict reproducibility, MklVendorCheck).
        const int batch = 128;
        var models = Enumerable.Range(0, 2).Select(Mlp).ToList();
        using var packed = new PackedMlpVae(models);
        using var generator = new Generator(11);
        using var images = rand([batch, VariationalAutoencoder.PixelCount], generator: generator);
        using var logitWeights = randn([2, batch, VariationalAutoencoder.PixelCount], generator: generator);
        using var logVarWeights = randn([2, batch, 2], generator: generator);

        using var packedImages = images.expand(2, -1, -1);
        var (mean, logVar) = packed.Encode(packedImages);
        using var logits = packed.DecodeLogits(mean);
        using var loss = (logits * logitWeights).sum() + (logVar * logVarWeights).sum();
        loss.backward();

        var packedGradients = packed.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        for (int member = 0; member < models.Count; member++)
        {
            var (memberMean, memberLogVar) = models[member].Encode(images, null);
            using var memberLogits = models[member].DecodeLogits(memberMean, null);
            using var memberLoss = (memberLogits * logitWeights[member]).sum() + (memberLogVar * logVarWeights[member]).sum();
            memberLoss.backward();
            foreach (var (name, parameter) in models[member].named_parameters())
            {
                using var packedGradient = packedGradients[name][member].reshape(parameter.shape);
                Assert.True(packedGradient.allclose(parameter.grad!, rtol: 0, atol: 0), $"member {member}: {name}");
            }
        }
        foreach (var model in models) model.Dispose();
    }

    [Fact]
    public void A_member_written_back_has_its_models_parameters_by_name_and_shape()
    {
        var models = Enumerable.Range(0, 2).Select(Mlp).ToList();
        using var packed = new PackedMlpVae(models);
        using var target = Mlp(10);

        packed.CopyMemberTo(1, target);

        var expected = models[1].named_parameters().ToList();
        var written = target.named_parameters().ToList();
        Assert.Equal(expected.Select(p => p.name), written.Select(p => p.name));
        Assert.All(expected.Zip(written), pair => Assert.True(pair.First.parameter.allclose(pair.Second.parameter, rtol: 0, atol: 0), pair.First.name));
        foreach (var model in models) model.Dispose();
    }

    [Fact]
    public void Models_of_other_latent_dims_are_refused()
    {
        using var two = Mlp(0);
        using var three = new MlpVae(3);
        var error = Assert.Throws<ArgumentException>(() => new PackedMlpVae([two, three]));
        Assert.StartsWith("packed models share one latent dim; found 2, 3", error.Message, StringComparison.Ordinal);
    }

    private static MlpVae Mlp(int seed)
    {
        using var generator = new Generator((ulong)seed);
        return (MlpVae)VariationalAutoencoder.Create(ModelKind.Mlp, 2, generator);
    }
}
