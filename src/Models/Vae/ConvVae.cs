using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Vae;

/// <summary>
/// The book's VAE CNN and, with <c>conditional</c>, its CVAE. Encoder: Conv 32 k3 s2 → Conv 64 k3 s2 →
/// Dense 16 → (μ, log σ²). Decoder: Dense 7·7·64 → ConvT 64 k3 s2 → ConvT 32 k3 s2 → ConvT 1 k3. The CVAE
/// adds the label, through Dense 784, as a second image channel, and concatenates it to z.
/// Keras' "same" padding is reproduced exactly: for stride 2 it pads only after (right/bottom), which
/// PyTorch's symmetric padding does not, so the pad and the crop are explicit.
/// </summary>
public sealed class ConvVae : VariationalAutoencoder
{
    private const int DenseUnits = 16;
    private const int Side = 28;
    private const int InnerSide = 7;
    private const int InnerChannels = 64;

    private readonly Linear? labelToChannel;
    private readonly Conv2d encoderConv1;
    private readonly Conv2d encoderConv2;
    private readonly Linear encoderDense;
    private readonly Linear zMean;
    private readonly Linear zLogVar;
    private readonly Linear decoderDense;
    private readonly ConvTranspose2d decoderConv1;
    private readonly ConvTranspose2d decoderConv2;
    private readonly ConvTranspose2d decoderOutput;

    public ConvVae(int latentDim, bool conditional) : base(conditional ? "cvae" : "vae_cnn", latentDim)
    {
        IsConditional = conditional;
        int inputChannels = conditional ? 2 : 1;
        int decoderInput = latentDim + (conditional ? ClassCount : 0);

        if (conditional)
        {
            labelToChannel = nn.Linear(ClassCount, PixelCount);
        }
        encoderConv1 = nn.Conv2d(inputChannels, 32, kernel_size: 3, stride: 2);
        encoderConv2 = nn.Conv2d(32, 64, kernel_size: 3, stride: 2);
        encoderDense = nn.Linear(InnerChannels * InnerSide * InnerSide, DenseUnits);
        zMean = nn.Linear(DenseUnits, latentDim);
        zLogVar = nn.Linear(DenseUnits, latentDim);
        decoderDense = nn.Linear(decoderInput, InnerChannels * InnerSide * InnerSide);
        decoderConv1 = nn.ConvTranspose2d(64, 64, kernel_size: 3, stride: 2);
        decoderConv2 = nn.ConvTranspose2d(64, 32, kernel_size: 3, stride: 2);
        decoderOutput = nn.ConvTranspose2d(32, 1, kernel_size: 3, stride: 1, padding: 1);
        RegisterComponents();
    }

    public override bool IsConditional { get; }

    public override (Tensor Mean, Tensor LogVar) Encode(Tensor images, Tensor? labels)
    {
        using var scope = NewDisposeScope();
        var x = images.view(-1, 1, Side, Side);
        if (labelToChannel is not null)
        {
            var labelChannel = labelToChannel.call(OneHotRequired(labels, "cvae")).view(-1, 1, Side, Side);
            x = cat([x, labelChannel], dim: 1);
        }

        x = nn.functional.relu(encoderConv1.call(PadLikeKerasSame(x)));
        x = nn.functional.relu(encoderConv2.call(PadLikeKerasSame(x)));
        var hidden = nn.functional.relu(encoderDense.call(x.flatten(1)));
        var mean = zMean.call(hidden);
        var logVar = zLogVar.call(hidden);
        return (mean.MoveToOuterDisposeScope(), logVar.MoveToOuterDisposeScope());
    }

    public override Tensor DecodeLogits(Tensor latents, Tensor? labels)
    {
        using var scope = NewDisposeScope();
        var input = IsConditional ? cat([latents, OneHotRequired(labels, "cvae")], dim: 1) : latents;
        var x = nn.functional.relu(decoderDense.call(input)).view(-1, InnerChannels, InnerSide, InnerSide);
        x = nn.functional.relu(CropLikeKerasSame(decoderConv1.call(x)));
        x = nn.functional.relu(CropLikeKerasSame(decoderConv2.call(x)));
        return decoderOutput.call(x).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>Keras "same" for k3 s2 on an even side pads one row/column after, none before.</summary>
    private static Tensor PadLikeKerasSame(Tensor x) => nn.functional.pad(x, (0, 1, 0, 1));

    /// <summary>
    /// Keras' Conv2DTranspose "same" (k3 s2) is the gradient of the padded-after convolution above: the
    /// unpadded transposed convolution (2n + 1 wide) without its last row and column.
    /// </summary>
    private static Tensor CropLikeKerasSame(Tensor x)
    {
        long side = x.shape[2] - 1;
        return x[.., .., ..(int)side, ..(int)side];
    }
}
