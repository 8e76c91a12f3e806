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

    public override Tensor forward(Tensor input) => PackedLinearFunction.apply(input, weight, bias);
}

/// <summary>
/// y = x Wᵀ + b per member, differentiated as libtorch differentiates <c>Linear</c>: each gradient is the product a
/// member's own <c>Linear</c> takes (∂x = ∂y W, ∂W = ∂yᵀ x, ∂b = Σ_B ∂y), batched, so a packed trial follows its run
/// alone within rounding, and ∂W comes in W's own [K, out, in] layout.
/// </summary>
/// <remarks>
/// The plain batched product's derivative, xᵀ ∂y, comes transposed and is added into the flat gradient buffer by a
/// strided pass over every weight (measured on 2 cores: backward 1.5× as long). Taking the product feature-major
/// instead (W xᵀ) avoids that, but sums the bias gradients in another order: over a full epoch a trial's losses then
/// drift from its run alone by 10⁻³, not 10⁻⁴.
/// </remarks>
internal sealed class PackedLinearFunction : autograd.SingleTensorFunction<PackedLinearFunction>
{
    private const string InputNeedsGradient = "input needs gradient";

    public override string Name => nameof(PackedLinearFunction);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (input, weight, bias) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2]);
        ctx.save_for_backward([input, weight]);
        // Shared images need none: the first layer's input gradient would be a product as large as its forward.
        ctx.save_data(InputNeedsGradient, input.requires_grad);
        using var transposed = weight.transpose(1, 2);
        // TorchSharp's Tensor.baddbmm(batch2, mat) is mat + this @ batch2 (the receiver is the first factor, not the
        // added term as in PyTorch's input.baddbmm(batch1, batch2)); the bias broadcasts over the batch.
        return input.baddbmm(transposed, bias);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var saved = ctx.get_saved_variables();
        var (input, weight) = (saved[0], saved[1]);
        var inputGradient = (bool)ctx.get_data(InputNeedsGradient) ? grad_output.bmm(weight) : null;
        using var outputGradientByFeature = grad_output.transpose(1, 2);
        var weightGradient = outputGradientByFeature.bmm(input);
        var biasGradient = grad_output.sum([1L], keepdim: true);
        return [inputGradient!, weightGradient, biasGradient];
    }
}
