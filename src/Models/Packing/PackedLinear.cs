using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Packing;

/// <summary>
/// K dense layers of one shape as one: weights [K, out, in], biases [K, 1, out]; inputs [K, B, in] give [K, B, out],
/// every member's product and bias in one <c>baddbmm</c> (one dispatch, where K <c>Linear</c>s make K).
/// </summary>
/// <remarks>
/// The product is taken feature-major, Wx^T [K, out, B], and handed on as its transposed view: backward then yields the
/// weights' gradient as W's own [K, out, in] layout (as <c>Linear</c> does), where x W^T would yield it transposed and
/// accumulate it into the flat gradient buffer by a strided pass over every weight (measured on 2 cores: backward 1.5×
/// as long, slower packed than the K runs alone). The next layer's transposed input is then the contiguous tensor this
/// one made.
/// </remarks>
internal sealed class PackedLinear : nn.Module<Tensor, Tensor>
{
    // Named as Linear names its own, so that a packed model's parameters carry the names of the model it packs.
    private readonly Parameter weight;
    private readonly Parameter bias;

    /// <summary>Zeroed: a packed model takes its members' weights (<see cref="PackedMlpVae"/>).</summary>
    public PackedLinear(int members, int inputs, int outputs) : base(nameof(PackedLinear))
    {
        weight = nn.Parameter(zeros(members, outputs, inputs));
        bias = nn.Parameter(zeros(members, 1, outputs));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input)
    {
        using var inputByFeature = input.transpose(1, 2);
        using var biasByFeature = bias.transpose(1, 2);
        // TorchSharp's Tensor.baddbmm(batch2, mat) is mat + this @ batch2 (the receiver is the first factor, not the
        // added term as in PyTorch's input.baddbmm(batch1, batch2)); the bias broadcasts over the batch.
        using var outputByFeature = weight.baddbmm(inputByFeature, biasByFeature);
        return outputByFeature.transpose(1, 2);
    }
}
