using System.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Optimizers;

/// <summary>
/// Adam (no weight decay, no AMSGrad) with TorchSharp's arithmetic: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// p ← p − (lr / (1−β₁ᵗ))·m / (√v / √(1−β₂ᵗ) + ε), over one flat buffer (<see cref="FlatParameterOptimizer"/>).
/// </summary>
/// <remarks>
/// A run takes exactly the steps it took with TorchSharp's Adam. On the CPU the update is one pass over the buffers,
/// block by block (<see cref="CpuUpdatePass"/>), that rounds each operation as libtorch's kernel for it does: the
/// moments' multiply-adds fused where those kernels fuse them, the square root libtorch's own. Elsewhere it is
/// TorchSharp's sequence of tensor operations, each over all parameters at once. A pass that rounds otherwise
/// (a correctly rounded square root, unfused multiply-adds) drifts the MLP's 5-epoch test total from 158.44 to 158.32.
/// </remarks>
public sealed class FlatAdam : FlatParameterOptimizer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;

    private readonly double learningRate;
    private readonly double epsilon;
    private readonly Tensor firstMoment;
    private readonly Tensor secondMoment;

    public FlatAdam(IReadOnlyList<Parameter> parameters, double learningRate, double epsilon)
        : this(parameters, learningRate, epsilon, onePass: true)
    {
    }

    /// <param name="onePass">False keeps the tensor operations where the one pass could run (tests of that path).</param>
    internal FlatAdam(IReadOnlyList<Parameter> parameters, double learningRate, double epsilon, bool onePass)
        : base(parameters, optim.Adam(parameters, lr: learningRate, beta1: Beta1, beta2: Beta2, eps: epsilon), onePass)
    {
        this.learningRate = learningRate;
        this.epsilon = epsilon;
        firstMoment = FlatState(state => ((Adam.State)state).exp_avg);
        secondMoment = FlatState(state => ((Adam.State)state).exp_avg_sq);
    }

    public override void Update()
    {
        StepCount++;
        double stepSize = learningRate / (1 - Math.Pow(Beta1, StepCount));
        double secondMomentCorrection = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        if (UpdatesInOnePass)
        {
            RunUpdatePass(new BlockUpdate(this, stepSize, secondMomentCorrection));
            return;
        }
        using var noGrad = no_grad();
        using var b1 = Beta1.ToScalar();
        using var keep1 = (1 - Beta1).ToScalar();
        using var b2 = Beta2.ToScalar();
        using var keep2 = (1 - Beta2).ToScalar();
        using var correction = secondMomentCorrection.ToScalar();
        using var eps = epsilon.ToScalar();
        using var minusStep = (-stepSize).ToScalar();
        var gradients = GatherGradients();
        firstMoment.mul_(b1).add_(gradients, keep1);
        secondMoment.mul_(b2).addcmul_(gradients, gradients, keep2);
        using var root = secondMoment.sqrt();
        root.div_(correction).add_(eps);
        Values.addcdiv_(firstMoment, root, minusStep);
    }

    /// <summary>
    /// The tensor operations above, element by element: libtorch rounds <c>mul_</c> then <c>add_</c> with an alpha as
    /// a product and a fused multiply-add, <c>addcmul_</c> as (value·a)·b fused into its sum, and <c>addcdiv_</c> as
    /// p + (value·m) / root, with every scalar first rounded to float.
    /// </summary>
    private readonly unsafe struct BlockUpdate(FlatAdam adam, double stepSize, double secondMomentCorrection) : IRootedUpdate
    {
        private const float B1 = (float)Beta1, Keep1 = (float)(1 - Beta1), B2 = (float)Beta2, Keep2 = (float)(1 - Beta2);

        private readonly float* values = CpuUpdatePass.Start(adam.Values);
        private readonly float* first = CpuUpdatePass.Start(adam.firstMoment);
        private readonly float* second = CpuUpdatePass.Start(adam.secondMoment);
        private readonly float correction = (float)secondMomentCorrection;
        private readonly float epsilon = (float)adam.epsilon;
        private readonly float minusStep = (float)-stepSize;

        public float* UpdateMoments(long start, int length, float* g)
        {
            float* m = first + start, v = second + start;
            int i = 0;
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var gradient = Vector.Load(g + i);
                Vector.FusedMultiplyAdd(gradient, new Vector<float>(Keep1), Vector.Load(m + i) * B1).Store(m + i);
                Vector.FusedMultiplyAdd(gradient * Keep2, gradient, Vector.Load(v + i) * B2).Store(v + i);
            }
            for (; i < length; i++)
            {
                m[i] = MathF.FusedMultiplyAdd(g[i], Keep1, m[i] * B1);
                v[i] = MathF.FusedMultiplyAdd(g[i] * Keep2, g[i], v[i] * B2);
            }
            return v;
        }

        public void UpdateValues(long start, int length, float* gradient, float* root)
        {
            float* p = values + start, m = first + start;
            int i = 0;
            for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var denominator = (Vector.Load(root + i) / correction) + new Vector<float>(epsilon);
                (Vector.Load(p + i) + (Vector.Load(m + i) * minusStep / denominator)).Store(p + i);
            }
            for (; i < length; i++) p[i] += m[i] * minusStep / ((root[i] / correction) + epsilon);
        }
    }

    protected override long ReadStepCount(OptimizerState state) => ((Adam.State)state).step;

    protected override void WriteStepCount(OptimizerState state, long steps) => ((Adam.State)state).step = steps;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            firstMoment.Dispose();
            secondMoment.Dispose();
        }
        base.Dispose(disposing);
    }
}
