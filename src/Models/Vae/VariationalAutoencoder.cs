using TorchSharp;
using TorchSharp.Modules;
using SweepRunner.Contracts.Training;
using static TorchSharp.torch;

namespace SweepRunner.Models.Vae;

/// <summary>
/// A VAE over flattened 28×28 images in [0, 1]. The decoder returns logits so that the BCE term can be
/// computed from logits, which stays finite where a sigmoid output saturates at exactly 0 or 1.
/// </summary>
public abstract class VariationalAutoencoder : nn.Module
{
    /// <summary>Pixels per image (28 × 28).</summary>
    public const int PixelCount = 28 * 28;

    /// <summary>Number of digit classes the conditional model takes.</summary>
    public const int ClassCount = 10;

    protected VariationalAutoencoder(string name, int latentDim) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(latentDim, 1);
        LatentDim = latentDim;
        // Before the first product of the process: MKL chooses its kernels once.
        MklVendorCheck.AnswerIntel();
    }

    public int LatentDim { get; }

    /// <summary>True when encoder and decoder take the one-hot digit label.</summary>
    public abstract bool IsConditional { get; }

    /// <summary>Encodes images [B, 784] (and one-hot labels [B, 10] when conditional) to (μ, log σ²).</summary>
    public abstract (Tensor Mean, Tensor LogVar) Encode(Tensor images, Tensor? labels);

    /// <summary>Decodes latents [B, latent] (and one-hot labels when conditional) to pixel logits [B, 784].</summary>
    public abstract Tensor DecodeLogits(Tensor latents, Tensor? labels);

    /// <summary>z = μ + exp(½·log σ²)·ε with ε ~ N(0, I) drawn from <paramref name="generator"/>.</summary>
    public static Tensor Reparameterize(Tensor mean, Tensor logVar, Generator? generator)
    {
        // Drawn on the CPU, where the trainer's generators are (a generator only draws on its own device), then moved.
        using var drawn = randn(mean.shape, dtype: mean.dtype, generator: generator);
        using var epsilon = drawn.to(mean.device);
        return Reparameterize(mean, logVar, epsilon);
    }

    /// <summary>
    /// z = μ + exp(½·log σ²)·ε for a drawn <paramref name="epsilon"/>, which broadcasts against μ: packed trials
    /// ([K, B, latent]) share the one [B, latent] draw each of them would make alone.
    /// </summary>
    public static Tensor Reparameterize(Tensor mean, Tensor logVar, Tensor epsilon)
    {
        using var half = 0.5.ToScalar();
        using var one = 1.ToScalar();
        using var scope = NewDisposeScope();
        return mean.add(logVar.mul(half).exp().mul(epsilon), one).MoveToOuterDisposeScope();
    }

    /// <summary>Number of trainable scalars (the figure the book's Keras summary prints).</summary>
    public long TrainableParameterCount => parameters().Where(p => p.requires_grad).Sum(p => p.numel());

    /// <summary>Creates the model with Keras' default initialisation drawn from <paramref name="generator"/>.</summary>
    public static VariationalAutoencoder Create(ModelKind kind, int latentDim, Generator generator)
    {
        VariationalAutoencoder model = kind switch
        {
            ModelKind.Mlp => new MlpVae(latentDim),
            ModelKind.Cnn => new ConvVae(latentDim, conditional: false),
            ModelKind.Cvae => new ConvVae(latentDim, conditional: true),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown model"),
        };
        model.InitializeLikeKeras(generator);
        return model;
    }

    /// <summary>
    /// Glorot-uniform weights and zero biases, as Keras initialises Dense, Conv2D and Conv2DTranspose.
    /// Limit = sqrt(6 / (fan_in + fan_out)); for every weight layout used here (Linear [out, in],
    /// Conv [out, in, kh, kw], ConvTranspose [in, out, kh, kw]) fan_in + fan_out = (d0 + d1)·kh·kw.
    /// </summary>
    private void InitializeLikeKeras(Generator generator)
    {
        using var noGrad = no_grad();
        foreach (var (name, parameter) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal) || name == "bias")
            {
                parameter.zero_();
                continue;
            }

            long receptiveField = parameter.shape.Skip(2).Aggregate(1L, (a, b) => a * b);
            double limit = Math.Sqrt(6.0 / ((parameter.shape[0] + parameter.shape[1]) * receptiveField));
            parameter.uniform_(-limit, limit, generator);
        }
    }

    protected static Tensor OneHotRequired(Tensor? labels, string model) =>
        labels ?? throw new ArgumentException($"the {model} model needs one-hot digit labels", nameof(labels));
}
