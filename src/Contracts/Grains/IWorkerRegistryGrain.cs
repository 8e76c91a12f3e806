namespace SweepRunner.Contracts.Grains;

/// <summary>
/// The workers alive now (one per cluster, key <see cref="Key"/>): each announces itself every few seconds, and one
/// silent for longer than the coordinator's worker timeout is gone. Prometheus finds the workers' metrics through it.
/// </summary>
[Alias("sweeprunner.worker-registry")]
public interface IWorkerRegistryGrain : IGrainWithIntegerKey
{
    public const long Key = 0;

    /// <summary>Adds the worker, or renews it with what it says now.</summary>
    [Alias("announce")]
    Task AnnounceAsync(WorkerAnnouncement announcement);

    /// <summary>The workers heard from within the timeout, by name.</summary>
    [Alias("list")]
    Task<IReadOnlyList<WorkerAnnouncement>> ListAsync();
}

/// <summary>
/// A worker as it announces itself: its name, its slots, where it serves its metrics (null: nowhere of its own), and
/// the tags it carries (<see cref="Common.WorkerTags"/>: the trials it may lease).
/// </summary>
[GenerateSerializer, Immutable, Alias("sweeprunner.worker-announcement")]
public sealed record WorkerAnnouncement([property: Id(0)] string Name, [property: Id(1)] int Slots, [property: Id(2)] string? MetricsAddress)
{
    /// <summary>The tags, <see cref="Common.WorkerTags.Join"/>ed (<c>big-mem,gpu</c>): a text, so that announcements compare by value.</summary>
    [Id(3)]
    public string Tags { get; init; } = "";
}
