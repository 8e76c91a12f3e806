using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Vae;

/// <summary>
/// The book's VAE CNN and, with <c>conditional</c>, its CVAE. Encoder: Conv 32 k3 s2 → Conv 64 k3 s2 →
/// Dense 16 → (μ, log σ²). Decoder: Dense 7·7·64 → ConvT 64 k3 s2 → ConvT 32 k3 s2 → ConvT 1 k3. The CVAE
/// adds the label, through Dense 784, as a second image channel, and concatenates it to z.
/// </summary>
/// <remarks>
/// <para>
/// Keras' "same" padding for k3 s2 pads only after (right and bottom), which PyTorch's symmetric padding cannot
/// express. The convolutions therefore run on mirrored feature maps (both spatial axes reversed) with mirrored
/// kernels: there the padding Keras needs falls before, where PyTorch's symmetric padding of 1 puts it (the one
/// after is never read), and the transposed convolutions' crop of their last row and column becomes PyTorch's
/// <c>padding: 1, output_padding: 1</c>. The maps are mirrored on the way in and out of each stack, so the model
/// computes exactly what the padded-and-cropped form does, without copying its largest maps to pad and crop them.
/// </para>
/// <para>
/// The convolutions' maps are kept channels-last (NHWC strides), the layout oneDNN's fastest kernels read, so libtorch
/// does not reorder every map before and after each convolution. The transposed convolutions add their bias
/// themselves: oneDNN adds a deconvolution's bias, and sums its gradient, with scalar reference code.
/// </para>
/// </remarks>
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

        x = ChannelsLast(Mirror(x));
        x = DownsampleLikeKerasSame(encoderConv1, x);
        x = DownsampleLikeKerasSame(encoderConv2, x);
        var hidden = nn.functional.relu(encoderDense.call(Mirror(x).flatten(1)));
        var mean = zMean.call(hidden);
        var logVar = zLogVar.call(hidden);
        return (mean.MoveToOuterDisposeScope(), logVar.MoveToOuterDisposeScope());
    }

    public override Tensor DecodeLogits(Tensor latents, Tensor? labels)
    {
        using var scope = NewDisposeScope();
        var input = IsConditional ? cat([latents, OneHotRequired(labels, "cvae")], dim: 1) : latents;
        var x = nn.functional.relu(decoderDense.call(input)).view(-1, InnerChannels, InnerSide, InnerSide);
        x = ChannelsLast(Mirror(x));
        x = UpsampleLikeKerasSame(decoderConv1, x);
        x = UpsampleLikeKerasSame(decoderConv2, x);
        return Mirror(OutputLogits(x)).flatten(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The output layer, ConvT 1 k3 with Keras "same" padding, on mirrored maps: on the CPU by
    /// <see cref="SingleChannelConvolution"/>, whose loops vectorise over the input channels (libtorch's, over the one
    /// output channel, ran it at a few GFLOP/s); elsewhere by libtorch.
    /// </summary>
    private Tensor OutputLogits(Tensor mirrored)
    {
        if (mirrored.device_type == DeviceType.CPU)
            return SingleChannelConvolution.Apply(mirrored, decoderOutput.weight!, decoderOutput.bias!);
        var logits = nn.functional.conv_transpose2d(mirrored, Mirror(decoderOutput.weight!), bias: null, padding: [1, 1]);
        return AddChannelBias(logits, decoderOutput.bias!);
    }

    /// <summary>Conv k3 s2 with Keras "same" padding, on mirrored maps (see the remarks), then ReLU.</summary>
    private static Tensor DownsampleLikeKerasSame(Conv2d conv, Tensor mirrored) =>
        nn.functional.relu(nn.functional.conv2d(mirrored, Mirror(conv.weight!), conv.bias, strides: [2, 2], padding: [1, 1]));

    /// <summary>ConvT k3 s2 with Keras "same" cropping, on mirrored maps (see the remarks), then ReLU.</summary>
    private static Tensor UpsampleLikeKerasSame(ConvTranspose2d deconv, Tensor mirrored)
    {
        var output = nn.functional.conv_transpose2d(
            mirrored, Mirror(deconv.weight!), bias: null, strides: [2, 2], padding: [1, 1], output_padding: [1, 1]);
        return AddChannelBias(output, deconv.bias!).relu_();
    }

    private static Tensor AddChannelBias(Tensor maps, Tensor bias)
    {
        using var one = 1.ToScalar();
        return maps.add(bias.view(1, -1, 1, 1), one);
    }

    /// <summary>Reverses both spatial axes of maps [B, C, H, W], or of kernels [·, ·, kh, kw].</summary>
    private static Tensor Mirror(Tensor x) => x.flip(2, 3);

    /// <summary>
    /// The same maps with NHWC strides: libtorch reads a tensor's layout from its strides, and TorchSharp does not
    /// expose <c>memory_format</c>, so the copy is made through a permuted view.
    /// </summary>
    private static Tensor ChannelsLast(Tensor maps) => maps.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
