using SweepRunner.Models.Vae;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Bench;

/// <summary>
/// The matrix products one training step of a model does, each layer's forward product and the two of its backward
/// pass: the gradient of its input (only when autograd needs it: not for the images, nor for the CVAE's one-hot labels)
/// and of its weight.
/// </summary>
/// <remarks>
/// Linear layers are measured: a forward pass of one batch with hooks on them records each one's input and output. The
/// convolutions are called through <c>nn.functional</c> on mirrored weights (<see cref="ConvVae"/>), so no hook sees them:
/// their maps' sides follow from Keras' "same" geometry, which the model reproduces (a convolution's output side is
/// ⌈input / stride⌉, a transposed convolution's input × stride), from the image side for the encoder and from the
/// Linear layer before the decoder's first transposed convolution. Convolutions count as their im2col products: a
/// Conv2d of C_in → C_out channels with a k×k kernel and an H×W output is [B·H·W × C_in·k²]·[C_in·k² × C_out]; a
/// ConvTranspose2d is the gradient of such a convolution, [B·H_in·W_in × C_in]·[C_in × C_out·k²] forward.
/// </remarks>
internal static class TrainingStepGemms
{
    private const int ImageSide = 28;

    public static IReadOnlyList<Gemm> Of(VariationalAutoencoder model, int batchSize)
    {
        var linearProducts = new Dictionary<string, List<Gemm>>();
        var hooks = new List<nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover>();
        foreach (var (name, module) in model.named_modules())
        {
            if (module is Linear linear)
            {
                hooks.Add(linear.register_forward_hook((_, input, output) =>
                {
                    linearProducts[name] = [.. Products(name, input.shape[0], linear.in_features, linear.out_features, input.requires_grad)];
                    return output;
                }));
            }
        }

        try
        {
            using var scope = NewDisposeScope();
            var images = rand(batchSize, VariationalAutoencoder.PixelCount);
            var labels = model.IsConditional ? nn.functional.one_hot(randint(VariationalAutoencoder.ClassCount, batchSize), VariationalAutoencoder.ClassCount).to_type(ScalarType.Float32) : null;
            var (mean, _) = model.Encode(images, labels);
            model.DecodeLogits(mean, labels);
        }
        finally
        {
            foreach (var hook in hooks) hook.remove();
        }

        var gemms = new List<Gemm>();
        long side = ImageSide;
        bool firstConvolution = true;
        Linear? lastLinear = null;
        foreach (var (name, module) in model.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    gemms.AddRange(linearProducts[name]);
                    lastLinear = linear;
                    break;
                case Conv2d conv:
                    side = (side + conv.stride[0] - 1) / conv.stride[0];
                    // The images need no gradient; the CVAE's label channel, computed by a layer, does.
                    gemms.AddRange(Products(name, batchSize * side * side, conv.in_channels * KernelArea(conv.weight!), conv.out_channels,
                        inputNeedsGradient: !firstConvolution || model.IsConditional));
                    firstConvolution = false;
                    break;
                case ConvTranspose2d transposed:
                    if (lastLinear is not null)
                    {
                        side = (long)Math.Round(Math.Sqrt(lastLinear.out_features / (double)transposed.in_channels));
                        lastLinear = null;
                    }
                    gemms.AddRange(Products(name, batchSize * side * side, transposed.in_channels, transposed.out_channels * KernelArea(transposed.weight!),
                        inputNeedsGradient: true));
                    side *= transposed.stride[0];
                    break;
            }
        }
        return gemms;
    }

    private static IEnumerable<Gemm> Products(string layer, long m, long k, long n, bool inputNeedsGradient)
    {
        yield return new Gemm(layer, "forward", m, k, n);
        // Backward: dX = dY·Wᵀ ([m × n]·[n × k]) and dW = Xᵀ·dY ([k × m]·[m × n]).
        if (inputNeedsGradient) yield return new Gemm(layer, "grad_input", m, n, k);
        yield return new Gemm(layer, "grad_weight", k, m, n);
    }

    private static long KernelArea(Tensor weight) => weight.shape[2] * weight.shape[3];
}
