using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SweepRunner.Models.Optimizers;

/// <summary>
/// Adam (no weight decay, no AMSGrad) with TorchSharp's arithmetic: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
/// p ← p − (lr / (1−β₁ᵗ))·m / (√v / √(1−β₂ᵗ) + ε), over one flat buffer (<see cref="FlatParameterOptimizer"/>).
/// </summary>
/// <remarks>
/// By default the update is TorchSharp's sequence of tensor operations, each over all parameters at once: the same
/// operations with the same scalars round alike, so a run takes exactly the steps it took with TorchSharp's Adam.
/// <para>
/// <c>fused</c> makes it one vectorised pass over the buffers instead (on the CPU; elsewhere the tensor operations):
/// the step reads and writes each buffer once where the eight operations pass over them about twenty times, which
/// matters when the buffers outgrow the caches (a packed group's). It rounds differently, so a run's losses drift from
/// its exact figures by float rounding: for runs that are not bit-exact anyway (packed trials).
/// </para>
/// </remarks>
public sealed class FlatAdam : FlatParameterOptimizer
{
    private const double Beta1 = 0.9;
    private const double Beta2 = 0.999;

    /// <summary>Elements below which a fused step is not worth a second thread.</summary>
    private const long MinimumChunk = 1 << 16;

    private readonly double learningRate;
    private readonly double epsilon;
    private readonly bool fused;
    private readonly Tensor firstMoment;
    private readonly Tensor secondMoment;

    public FlatAdam(IReadOnlyList<Parameter> parameters, double learningRate, double epsilon, bool fused = false)
        : base(parameters, optim.Adam(parameters, lr: learningRate, beta1: Beta1, beta2: Beta2, eps: epsilon))
    {
        this.learningRate = learningRate;
        this.epsilon = epsilon;
        firstMoment = FlatState(state => ((Adam.State)state).exp_avg);
        secondMoment = FlatState(state => ((Adam.State)state).exp_avg_sq);
        this.fused = fused && Values.device_type == DeviceType.CPU;
    }

    public override void Update()
    {
        StepCount++;
        double stepSize = learningRate / (1 - Math.Pow(Beta1, StepCount));
        double secondMomentCorrection = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        if (fused)
        {
            UpdateFused((float)stepSize, (float)secondMomentCorrection);
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
        firstMoment.mul_(b1).add_(Gradients, keep1);
        secondMoment.mul_(b2).addcmul_(Gradients, Gradients, keep2);
        using var root = secondMoment.sqrt();
        root.div_(correction).add_(eps);
        Values.addcdiv_(firstMoment, root, minusStep);
    }

    /// <summary>The same rule in one pass, split over libtorch's threads: each chunk is independent of the others.</summary>
    private unsafe void UpdateFused(float stepSize, float secondMomentCorrection)
    {
        float* values = Start(Values), gradients = Start(Gradients), first = Start(firstMoment), second = Start(secondMoment);
        long count = Values.numel();
        int chunks = (int)Math.Clamp(count / MinimumChunk, 1, get_num_threads());
        // Whole vectors per chunk but the last, so that no vector straddles two threads' work.
        long chunk = (count / chunks + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        var step = new FusedStep(stepSize, secondMomentCorrection, (float)epsilon);
        Parallel.For(0, chunks, index =>
        {
            long start = index * chunk;
            long length = Math.Min(chunk, count - start);
            if (length > 0) step.Apply(values + start, gradients + start, first + start, second + start, length);
        });
    }

    private static unsafe float* Start(Tensor buffer) =>
        (float*)Unsafe.AsPointer(ref MemoryMarshal.GetReference(MemoryMarshal.Cast<byte, float>(buffer.bytes)));

    /// <summary>One Adam step over a run of elements: m, v and p each read and written once.</summary>
    private readonly struct FusedStep(float stepSize, float secondMomentCorrection, float epsilon)
    {
        private const float B1 = (float)Beta1, Keep1 = (float)(1 - Beta1), B2 = (float)Beta2, Keep2 = (float)(1 - Beta2);

        public unsafe void Apply(float* values, float* gradients, float* first, float* second, long length)
        {
            long i = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var b1 = new Vector<float>(B1);
                var keep1 = new Vector<float>(Keep1);
                var b2 = new Vector<float>(B2);
                var keep2 = new Vector<float>(Keep2);
                var correction = new Vector<float>(secondMomentCorrection);
                var eps = new Vector<float>(epsilon);
                var size = new Vector<float>(stepSize);
                for (; i <= length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var g = Vector.Load(gradients + i);
                    var m = b1 * Vector.Load(first + i) + keep1 * g;
                    var v = b2 * Vector.Load(second + i) + keep2 * g * g;
                    m.Store(first + i);
                    v.Store(second + i);
                    (Vector.Load(values + i) - size * m / (Vector.SquareRoot(v) / correction + eps)).Store(values + i);
                }
            }
            for (; i < length; i++)
            {
                float g = gradients[i];
                float m = first[i] = B1 * first[i] + Keep1 * g;
                float v = second[i] = B2 * second[i] + Keep2 * g * g;
                values[i] -= stepSize * m / (MathF.Sqrt(v) / secondMomentCorrection + epsilon);
            }
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
