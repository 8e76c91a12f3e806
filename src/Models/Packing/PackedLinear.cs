using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Packing;

/// <summary>
/// K dense layers of one shape as one: weights [K, out, in], biases [K, 1, out]; inputs [K, B, in] give [K, B, out],
/// every member's product and bias in one <c>baddbmm</c> (one dispatch, where K <c>Linear</c>s make K).
/// </summary>
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
        using var transposed = weight.transpose(1, 2);
        // TorchSharp's Tensor.baddbmm(batch2, mat) is mat + this @ batch2 (the receiver is the first factor, not the
        // added term as in PyTorch's input.baddbmm(batch1, batch2)); the bias broadcasts over the batch.
        return input.baddbmm(transposed, bias);
    }
}
