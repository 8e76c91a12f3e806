using TorchSharp;
using TorchSharp.Modules;
using SweepRunner.Models.Checkpoints;
using static TorchSharp.torch;

namespace SweepRunner.Models.Optimizers;

/// <summary>
/// An optimizer whose parameters, gradients and state each live in one flat buffer, the model's tensors being views
/// into it: a step is a handful of operations over a few contiguous buffers instead of eight small operations per
/// parameter tensor, each with its own dispatch, result allocation and finalizable scalar wrappers.
/// </summary>
/// <remarks>
/// The state is saved and loaded in TorchSharp's optimizer format, by TorchSharp's own optimizer of the same rule
/// (<see cref="Format"/>), whose state tensors are made views of the flat state too: checkpoints written before and
/// after this optimizer existed resume either way. That optimizer never steps.
/// </remarks>
public abstract class FlatParameterOptimizer : IDisposable
{
    private readonly IReadOnlyList<Parameter> parameters;
    private readonly List<Tensor> stateBuffers = [];

    /// <param name="parameters">The model's parameters, all on one device and of type float32.</param>
    /// <param name="format">TorchSharp's optimizer of the same rule over the same parameters, for the state's format.</param>
    protected FlatParameterOptimizer(IReadOnlyList<Parameter> parameters, OptimizerHelper format)
    {
        if (parameters.Count == 0) throw new ArgumentException("no parameters to optimize", nameof(parameters));
        var first = parameters[0];
        if (parameters.Any(p => p.dtype != ScalarType.Float32 || p.device_type != first.device_type || p.device_index != first.device_index))
            throw new ArgumentException("the parameters must be float32 tensors on one device", nameof(parameters));
        this.parameters = parameters;
        Format = format;
        Values = zeros(parameters.Sum(p => p.numel()), device: first.device);
        Gradients = zeros_like(Values);

        using var noGrad = no_grad();
        long offset = 0;
        foreach (var parameter in parameters)
        {
            // The views can go at once: the parameter and its gradient hold the buffers' storage themselves.
            using var value = ViewOf(Values, offset, parameter);
            value.copy_(parameter);
            parameter.set_(value);
            using var gradient = ViewOf(Gradients, offset, parameter);
            parameter.grad = gradient;
            offset += parameter.numel();
        }
        UpdatesInOnePass = CpuUpdatePass.Supports(Values);
    }

    /// <summary>Whether <see cref="Update"/> runs as one <see cref="CpuUpdatePass"/> over the buffers (on the CPU), not as tensor operations.</summary>
    protected bool UpdatesInOnePass { get; }

    /// <summary>The parameters end to end, in the order given.</summary>
    protected Tensor Values { get; }

    /// <summary>The gradients end to end; backward accumulates into them in place.</summary>
    protected Tensor Gradients { get; }

    protected OptimizerHelper Format { get; }

    /// <summary>Steps taken (TorchSharp keeps one count per parameter, all equal).</summary>
    public long StepCount { get; protected set; }

    /// <summary>Zeroes the gradients in place, so that they stay views of the flat buffer.</summary>
    public void ZeroGrad() => Gradients.zero_();

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
        Gradients.Dispose();
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

    protected abstract long ReadStepCount(OptimizerState state);

    protected abstract void WriteStepCount(OptimizerState state, long steps);

    private static Tensor ViewOf(Tensor flat, long offset, Parameter parameter)
    {
        using var slice = flat.narrow(0, offset, parameter.numel());
        return slice.view(parameter.shape);
    }
}
