using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Optimizers;

/// <summary>
/// RMSprop (no momentum, not centred, no weight decay) with TorchSharp's arithmetic: s ← αs + (1−α)g²,
/// p ← p − lr·g / (√s + ε), over one flat buffer (<see cref="FlatParameterOptimizer"/>).
/// </summary>
public sealed class FlatRmsprop : FlatParameterOptimizer
{
    private readonly double learningRate;
    private readonly double alpha;
    private readonly double epsilon;
    private readonly Tensor squareAverage;

    public FlatRmsprop(IReadOnlyList<Parameter> parameters, double learningRate, double alpha, double epsilon)
        : base(parameters, optim.RMSProp(parameters, lr: learningRate, alpha: alpha, eps: epsilon))
    {
        this.learningRate = learningRate;
        this.alpha = alpha;
        this.epsilon = epsilon;
        squareAverage = FlatState(state => ((RMSProp.State)state).square_avg);
    }

    public override void Update()
    {
        StepCount++;
        using var noGrad = no_grad();
        using var decay = alpha.ToScalar();
        using var keep = (1 - alpha).ToScalar();
        using var eps = epsilon.ToScalar();
        using var minusRate = (-learningRate).ToScalar();
        squareAverage.mul_(decay).addcmul_(Gradients, Gradients, keep);
        using var root = squareAverage.sqrt();
        root.add_(eps);
        Values.addcdiv_(Gradients, root, minusRate);
    }

    protected override long ReadStepCount(OptimizerState state) => ((RMSProp.State)state).step;

    protected override void WriteStepCount(OptimizerState state, long steps) => ((RMSProp.State)state).step = steps;

    protected override void Dispose(bool disposing)
    {
        if (disposing) squareAverage.Dispose();
        base.Dispose(disposing);
    }
}
