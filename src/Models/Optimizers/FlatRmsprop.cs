using System.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Optimizers;

/// <summary>
/// RMSprop (no momentum, not centred, no weight decay) with TorchSharp's arithmetic: s ← αs + (1−α)g²,
/// p ← p − lr·g / (√s + ε), over one flat buffer (<see cref="FlatParameterOptimizer"/>).
/// </summary>
/// <remarks>
/// On the CPU the update is one pass over the buffers that rounds as the tensor operations do
/// (<see cref="CpuUpdatePass"/>, and <see cref="FlatAdam"/> for the rounding), elsewhere those operations.
/// </remarks>
public sealed class FlatRmsprop : FlatParameterOptimizer
{
    private readonly double learningRate;
    private readonly double alpha;
    private readonly double epsilon;
    private readonly Tensor squareAverage;

    public FlatRmsprop(IReadOnlyList<Parameter> parameters, double learningRate, double alpha, double epsilon)
        : this(parameters, learningRate, alpha, epsilon, onePass: true)
    {
    }

    /// <param name="onePass">False keeps the tensor operations where the one pass could run (tests of that path).</param>
    internal FlatRmsprop(IReadOnlyList<Parameter> parameters, double learningRate, double alpha, double epsilon, bool onePass)
        : base(parameters, optim.RMSProp(parameters, lr: learningRate, alpha: alpha, eps: epsilon), onePass)
    {
        this.learningRate = learningRate;
        this.alpha = alpha;
        this.epsilon = epsilon;
        squareAverage = FlatState(state => ((RMSProp.State)state).square_avg);
    }

    public override void Update()
    {
        StepCount++;
        if (UpdatesInOnePass)
        {
            RunUpdatePass(new BlockUpdate(this));
            return;
        }
        using var noGrad = no_grad();
        using var decay = alpha.ToScalar();
        using var keep = (1 - alpha).ToScalar();
        using var eps = epsilon.ToScalar();
        using var minusRate = (-learningRate).ToScalar();
        var gradients = GatherGradients();
        squareAverage.mul_(decay).addcmul_(gradients, gradients, keep);
        using var root = squareAverage.sqrt();
        root.add_(eps);
        Values.addcdiv_(gradients, root, minusRate);
    }

    /// <summary>The tensor operations above, element by element, rounded as libtorch's kernels round them.</summary>
    private readonly unsafe struct BlockUpdate(FlatRmsprop rmsprop) : IRootedUpdate
    {
        private readonly float* values = CpuUpdatePass.Start(rmsprop.Values);
        private readonly float* average = CpuUpdatePass.Start(rmsprop.squareAverage);
        private readonly float decay = (float)rmsprop.alpha;
        private readonly float keep = (float)(1 - rmsprop.alpha);
        private readonly float epsilon = (float)rmsprop.epsilon;
        private readonly float minusRate = (float)-rmsprop.learningRate;

        public float* UpdateMoments(long start, int length, float* g)
        {
            float* s = average + start;
            int i = 0;
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var gradient = Vector.Load(g + i);
                Vector.FusedMultiplyAdd(gradient * keep, gradient, Vector.Load(s + i) * decay).Store(s + i);
            }
            for (; i < length; i++) s[i] = MathF.FusedMultiplyAdd(g[i] * keep, g[i], s[i] * decay);
            return s;
        }

        public void UpdateValues(long start, int length, float* g, float* root)
        {
            float* p = values + start;
            int i = 0;
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var denominator = Vector.Load(root + i) + new Vector<float>(epsilon);
                (Vector.Load(p + i) + (Vector.Load(g + i) * minusRate / denominator)).Store(p + i);
            }
            for (; i < length; i++) p[i] += g[i] * minusRate / (root[i] + epsilon);
        }
    }

    protected override long ReadStepCount(OptimizerState state) => ((RMSProp.State)state).step;

    protected override void WriteStepCount(OptimizerState state, long steps) => ((RMSProp.State)state).step = steps;

    protected override void Dispose(bool disposing)
    {
        if (disposing) squareAverage.Dispose();
        base.Dispose(disposing);
    }
}
