using SweepRunner.Models.Vae;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Bench;

/// <summary>
/// The matrix products one training step of a model does: a forward pass of one batch with hooks on its Linear and
/// convolution layers records each layer's input and output shapes, and each layer becomes its forward product and
/// the two of its backward pass: the gradient of its input (only when autograd needs it: not for the images, nor for
/// the CVAE's one-hot labels) and of its weight. Convolutions count as their im2col products: a Conv2d of C_in → C_out
/// channels with a k×k kernel and an H×W output is [B·H·W × C_in·k²]·[C_in·k² × C_out]; a ConvTranspose2d is the
/// gradient of such a convolution, [B·H_in·W_in × C_in]·[C_in × C_out·k²] forward.
/// </summary>
internal static class TrainingStepGemms
{
    public static IReadOnlyList<Gemm> Of(VariationalAutoencoder model, int batchSize)
    {
        var gemms = new List<Gemm>();
        var hooks = new List<nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>, Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover>();
        foreach (var (name, module) in model.named_modules())
        {
            if (module is Linear or Conv2d or ConvTranspose2d)
            {
                var layer = (nn.Module<Tensor, Tensor>)module;
                hooks.Add(layer.register_forward_hook((_, input, output) =>
                {
                    gemms.AddRange(Products(name, module, input, output));
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
        return gemms;
    }

    private static IEnumerable<Gemm> Products(string layer, nn.Module module, Tensor input, Tensor output)
    {
        long batch = input.shape[0];
        var (m, k, n) = module switch
        {
            Linear linear => (batch, linear.in_features, linear.out_features),
            Conv2d conv => (batch * output.shape[2] * output.shape[3], conv.weight!.shape[1] * KernelArea(conv.weight), conv.weight.shape[0]),
            ConvTranspose2d transposed => (batch * input.shape[2] * input.shape[3], transposed.weight!.shape[0], transposed.weight.shape[1] * KernelArea(transposed.weight)),
            _ => throw new ArgumentException($"{layer} is not a Linear or convolution layer", nameof(module)),
        };
        yield return new Gemm(layer, "forward", m, k, n);
        // Backward: dX = dY·Wᵀ ([m × n]·[n × k]) and dW = Xᵀ·dY ([k × m]·[m × n]).
        if (input.requires_grad) yield return new Gemm(layer, "grad_input", m, n, k);
        yield return new Gemm(layer, "grad_weight", k, m, n);
    }

    private static long KernelArea(Tensor weight) => weight.shape[2] * weight.shape[3];
}
