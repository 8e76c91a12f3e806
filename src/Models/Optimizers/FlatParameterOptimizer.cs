using TorchSharp;
using TorchSharp.Modules;
using SweepRunner.Models.Checkpoints;
using static TorchSharp.torch;

namespace SweepRunner.Models.Optimizers;

/// <summary>
/// An optimizer whose parameters and state each live in one flat buffer, the model's tensors being views into it:
/// a step is a handful of operations over a few contiguous buffers instead of eight small operations per parameter
/// tensor, each with its own dispatch, result allocation and finalizable scalar wrappers.
/// </summary>
/// <remarks>
/// <para>
/// The gradients stay backward's own tensors. <see cref="ClearGradients"/> drops them, and backward then keeps each
/// parameter's new gradient as it computed it, where gradients that were views of a flat buffer had to be zeroed
/// before each backward and had each new gradient added into them: two passes over the gradients' memory a step, and
/// a new gradient written and read back once more (the MLP's backward on 2 threads: about 0.1 s of a 2-s epoch,
/// docs/benchmarks.md, "2026-12-05, evening: gradients left where backward puts them"). The update reads each gradient
/// where it is.
/// </para>
/// <para>
/// The state is saved and loaded in TorchSharp's optimizer format, by TorchSharp's own optimizer of the same rule
/// (<see cref="Format"/>), whose state tensors are made views of the flat state too: checkpoints written before and
/// after this optimizer existed resume either way. That optimizer never steps.
/// </para>
/// </remarks>
public abstract class FlatParameterOptimizer : IDisposable
{
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly List<Tensor> stateBuffers = [];
    // The tensor operations' path only: one flat buffer the gradients are copied into, and its views in their shapes.
    private readonly Tensor? gathered;
    private readonly Tensor[] gatheredViews = [];

    /// <param name="parameters">The model's parameters, all on one device and of type float32.</param>
    /// <param name="format">TorchSharp's optimizer of the same rule over the same parameters, for the state's format.</param>
    /// <param name="onePass">Whether to update in one <see cref="CpuUpdatePass"/> where it can run; false keeps the tensor operations (for tests of that path on the CPU).</param>
    protected FlatParameterOptimizer(IReadOnlyList<Parameter> parameters, OptimizerHelper format, bool onePass)
    {
        if (parameters.Count == 0) throw new ArgumentException("no parameters to optimize", nameof(parameters));
        var first = parameters[0];
        if (parameters.Any(p => p.dtype != ScalarType.Float32 || p.device_type != first.device_type || p.device_index != first.device_index))
            throw new ArgumentException("the parameters must be float32 tensors on one device", nameof(parameters));
        this.parameters = parameters;
        Format = format;
        Values = zeros(parameters.Sum(p => p.numel()), device: first.device);
        UpdatesInOnePass = onePass && CpuUpdatePass.Supports(Values);
        if (!UpdatesInOnePass)
        {
            gathered = zeros_like(Values);
            gatheredViews = new Tensor[parameters.Count];
        }

        using var noGrad = no_grad();
        long offset = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            // The view can go at once: the parameter holds the buffer's storage itself.
            using var value = ViewOf(Values, offset, parameter);
            value.copy_(parameter);
            parameter.set_(value);
            parameter.grad = null;
            if (gathered is not null) gatheredViews[i] = ViewOf(gathered, offset, parameter);
            offset += parameter.numel();
        }
    }

    /// <summary>Whether <see cref="Update"/> runs as one <see cref="CpuUpdatePass"/> over the buffers (on the CPU), not as tensor operations.</summary>
    protected bool UpdatesInOnePass { get; }

    /// <summary>The parameters end to end, in the order given.</summary>
    protected Tensor Values { get; }

    protected OptimizerHelper Format { get; }

    /// <summary>Steps taken (TorchSharp keeps one count per parameter, all equal).</summary>
    public long StepCount { get; protected set; }

    /// <summary>Drops the parameters' gradients, so that the next backward stores its own instead of adding into them.</summary>
    public void ClearGradients()
    {
        foreach (var parameter in parameters) parameter.grad = null;
    }

    /// <summary>One update of every parameter from its gradient.</summary>
    public abstract void Update();

    /// <summary>
    /// Takes member <paramref name="member"/>'s state (moments, step count) from <paramref name="packed"/>: an optimizer
    /// of the same rule and settings over <paramref name="memberCount"/> copies of these parameters, each of its
    /// parameters stacking the copies of the one here in the same place along a leading dimension.
    /// </summary>
    internal void CopyMemberState(FlatParameterOptimizer packed, int member, int memberCount)
    {
        if (packed.GetType() != GetType() || packed.parameters.Count != parameters.Count)
            throw new ArgumentException($"a {packed.GetType().Name} over {packed.parameters.Count} tensors is not a packed {GetType().Name} over {parameters.Count}", nameof(packed));
        ArgumentOutOfRangeException.ThrowIfNegative(member);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(member, memberCount);
        using var noGrad = no_grad();
        long offset = 0, packedOffset = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            long count = parameters[i].numel();
            if (packed.parameters[i].numel() != count * memberCount)
                throw new ArgumentException($"packed tensor {i} holds {packed.parameters[i].numel()} values, not {memberCount} × {count}", nameof(packed));
            foreach (var (state, packedState) in stateBuffers.Zip(packed.stateBuffers))
            {
                using var target = state.narrow(0, offset, count);
                using var source = packedState.narrow(0, packedOffset + (member * count), count);
                target.copy_(source);
            }
            offset += count;
            packedOffset += count * memberCount;
        }
        StepCount = packed.StepCount;
    }

    /// <summary>
    /// Runs <paramref name="update"/> over all elements in one <see cref="CpuUpdatePass"/>, each stretch of the buffers
    /// with its parameter's gradient.
    /// </summary>
    private protected unsafe void RunUpdatePass<TUpdate>(TUpdate update) where TUpdate : struct, IRootedUpdate
    {
        var gradients = new Tensor[parameters.Count];
        try
        {
            var segments = new GradientSegment[parameters.Count];
            long offset = 0;
            for (int i = 0; i < parameters.Count; i++)
            {
                // Backward's gradients take their parameter's layout, contiguous here: a view of the same memory.
                using var gradient = GradientOf(i);
                gradients[i] = gradient.contiguous();
                segments[i] = new GradientSegment(offset, parameters[i].numel(), CpuUpdatePass.Start(gradients[i]));
                offset += parameters[i].numel();
            }
            CpuUpdatePass.Run(update, segments);
        }
        finally
        {
            foreach (var gradient in gradients) gradient?.Dispose();
        }
    }

    /// <summary>The gradients end to end in one flat buffer (the tensor operations' path), copied from the parameters'.</summary>
    protected Tensor GatherGradients()
    {
        if (gathered is null) throw new InvalidOperationException("the one-pass update reads the gradients where they are");
        using var noGrad = no_grad();
        for (int i = 0; i < parameters.Count; i++)
        {
            using var gradient = GradientOf(i);
            gatheredViews[i].copy_(gradient);
        }
        return gathered;
    }

    /// <summary>Bytes enough for <see cref="Save"/>: the state buffers, and each parameter's entry around its views of them.</summary>
    internal int SavedStateCapacity => SavedStateSize.Of(stateBuffers, parameters.Count);

    /// <summary>Writes the state as TorchSharp's optimizer of the same rule does.</summary>
    public void Save(BinaryWriter writer)
    {
        foreach (var state in Format.state_dict().State) WriteStepCount(state, StepCount);
        Format.save_state_dict(writer);
    }

    /// <summary>Reads a state written by <see cref="Save"/> or by TorchSharp's optimizer of the same rule.</summary>
    public void Load(BinaryReader reader)
    {
        Format.load_state_dict(reader);
        var counts = Format.state_dict().State.Select(ReadStepCount).Distinct().ToList();
        if (counts.Count != 1) throw new InvalidDataException($"the optimizer state's parameters took different numbers of steps ({string.Join(", ", counts)})");
        StepCount = counts[0];
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        Format.Dispose();
        Values.Dispose();
        foreach (var view in gatheredViews) view.Dispose();
        gathered?.Dispose();
    }

    /// <summary>
    /// A zeroed flat buffer for one state tensor per parameter (picked by <paramref name="stateOf"/>), which becomes
    /// that state tensor's storage.
    /// </summary>
    protected Tensor FlatState(Func<OptimizerState, Tensor> stateOf)
    {
        var flat = zeros_like(Values);
        using var noGrad = no_grad();
        var states = Format.state_dict().State;
        long offset = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            using var view = ViewOf(flat, offset, parameters[i]);
            stateOf(states[i]).set_(view);
            offset += parameters[i].numel();
        }
        stateBuffers.Add(flat);
        return flat;
    }

    private Tensor GradientOf(int index) =>
        parameters[index].grad ?? throw new InvalidOperationException(
            $"parameter {index} (shape [{string.Join(", ", parameters[index].shape)}]) has no gradient: an update follows a backward that reaches every parameter");

    protected abstract long ReadStepCount(OptimizerState state);

    protected abstract void WriteStepCount(OptimizerState state, long steps);

    private static Tensor ViewOf(Tensor flat, long offset, Parameter parameter)
    {
        using var slice = flat.narrow(0, offset, parameter.numel());
        return slice.view(parameter.shape);
    }
}
