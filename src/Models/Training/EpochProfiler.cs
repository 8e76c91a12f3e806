using System.Diagnostics;

namespace SweepRunner.Models.Training;

/// <summary>
/// Where training's wall time goes, phase by phase (<see cref="EpochPhase"/>), summed over the epochs it watched.
/// On the CPU every libtorch call returns when its work is done, so a clock read between calls splits the time
/// truthfully; on CUDA, kernels run ahead and the split only says where the host waited.
/// </summary>
public sealed class EpochProfiler
{
    private readonly long[] ticks = new long[Enum.GetValues<EpochPhase>().Length];
    private long last;

    /// <summary>Epochs measured so far.</summary>
    public int Epochs { get; private set; }

    /// <summary>Seconds spent in each phase over all measured epochs.</summary>
    public IReadOnlyDictionary<EpochPhase, double> TotalSeconds =>
        Enum.GetValues<EpochPhase>().ToDictionary(phase => phase, phase => (double)ticks[(int)phase] / Stopwatch.Frequency);

    /// <summary>Seconds per epoch in each phase, the mean over the measured epochs.</summary>
    public IReadOnlyDictionary<EpochPhase, double> SecondsPerEpoch =>
        TotalSeconds.ToDictionary(pair => pair.Key, pair => Epochs == 0 ? 0 : pair.Value / Epochs);

    /// <summary>Starts the clock of the next phase.</summary>
    internal void Restart() => last = Stopwatch.GetTimestamp();

    /// <summary>Charges the time since the last mark to <paramref name="phase"/> and starts the next one.</summary>
    internal void Mark(EpochPhase phase)
    {
        long now = Stopwatch.GetTimestamp();
        ticks[(int)phase] += now - last;
        last = now;
    }

    internal void CompleteEpoch() => Epochs++;
}
