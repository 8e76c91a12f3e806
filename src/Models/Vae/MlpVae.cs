using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Vae;

/// <summary>The book's VAE MLP: 784 → Dense 512 ReLU → (μ, log σ²); z → Dense 512 ReLU → 784 sigmoid.</summary>
public sealed class MlpVae : VariationalAutoencoder
{
    /// <summary>Units of the encoder's and the decoder's hidden layer.</summary>
    internal const int Hidden = 512;

    private readonly Linear encoderHidden;
    private readonly Linear zMean;
    private readonly Linear zLogVar;
    private readonly Linear decoderHidden;
    private readonly Linear decoderOutput;

    public MlpVae(int latentDim) : base("vae_mlp", latentDim)
    {
        encoderHidden = nn.Linear(PixelCount, Hidden);
        zMean = nn.Linear(Hidden, latentDim);
        zLogVar = nn.Linear(Hidden, latentDim);
        decoderHidden = nn.Linear(latentDim, Hidden);
        decoderOutput = nn.Linear(Hidden, PixelCount);
        RegisterComponents();
    }

    public override bool IsConditional => false;

    public override (Tensor Mean, Tensor LogVar) Encode(Tensor images, Tensor? labels)
    {
        using var hidden = nn.functional.relu(encoderHidden.call(images));
        return (zMean.call(hidden), zLogVar.call(hidden));
    }

    public override Tensor DecodeLogits(Tensor latents, Tensor? labels)
    {
        using var hidden = nn.functional.relu(decoderHidden.call(latents));
        return decoderOutput.call(hidden);
    }
}
