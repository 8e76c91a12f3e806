using System.Collections.Concurrent;
using System.Diagnostics;

namespace SweepRunner.Bench;

/// <summary>The trainer calls a training slot makes for one trial.</summary>
internal enum TrainerCall
{
    Open,
    TrainEpoch,
    CreateCheckpoint,
    EvaluateTest,
    Analyze,
    RenderFigures,
    Dispose,
}

/// <summary>
/// One trial as the trainer saw it: the slot thread that ran it, when its first trainer call began and its last one
/// ended (<see cref="Stopwatch.GetTimestamp"/>), and the time spent inside each kind of call. Every call of a trial
/// comes from its slot's thread, one at a time, so no locking is needed.
/// </summary>
internal sealed class TrialTimeline(int seed, int slotThread, long openedAt)
{
    private readonly long[] inside = new long[Enum.GetValues<TrainerCall>().Length];

    /// <summary>The trial's <c>seed</c> parameter: every trial of the bench's sweeps has its own.</summary>
    public int Seed { get; } = seed;

    public int SlotThread { get; } = slotThread;

    public long FirstCallStart { get; } = openedAt;

    public long LastCallEnd { get; private set; } = openedAt;

    /// <summary>Size of the last checkpoint the trainer made: what the slot then writes to the store.</summary>
    public int CheckpointBytes { get; set; }

    public TimeSpan Span => Stopwatch.GetElapsedTime(FirstCallStart, LastCallEnd);

    public TimeSpan InsideTrainer => TimeSpan.FromTicks(Enum.GetValues<TrainerCall>().Sum(call => Inside(call).Ticks));

    public TimeSpan Inside(TrainerCall call) => Stopwatch.GetElapsedTime(0, inside[(int)call]);

    public void Record(TrainerCall call, long start, long end)
    {
        inside[(int)call] += end - start;
        LastCallEnd = end;
    }
}

/// <summary>Every trial timeline of one sweep, in the order the trials were opened.</summary>
internal sealed class TrainerCallLog
{
    private readonly ConcurrentQueue<TrialTimeline> timelines = new();

    public IReadOnlyCollection<TrialTimeline> Timelines => timelines;

    public TrialTimeline Open(int seed, long openedAt)
    {
        var timeline = new TrialTimeline(seed, Environment.CurrentManagedThreadId, openedAt);
        timelines.Enqueue(timeline);
        return timeline;
    }

    /// <summary>
    /// Per slot, the time from the end of one trial's last trainer call to the start of the next trial's first: the
    /// slot idles there while its trial is ended, the next one leased and its checkpoint looked up.
    /// </summary>
    public List<TimeSpan> GapsBetweenTrials() =>
        [.. timelines.GroupBy(t => t.SlotThread)
            .SelectMany(slot => slot.OrderBy(t => t.FirstCallStart).Zip(slot.OrderBy(t => t.FirstCallStart).Skip(1)))
            .Select(pair => Stopwatch.GetElapsedTime(pair.First.LastCallEnd, pair.Second.FirstCallStart))];
}
