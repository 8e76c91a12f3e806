using Microsoft.Extensions.Options;
using SweepRunner.Contracts.Grains;

namespace SweepRunner.Coordinator.Grains;

/// <summary>
/// The workers heard from lately, in memory only: workers announce themselves every few seconds, so a restarted
/// coordinator knows them all again within one announcement interval.
/// </summary>
internal sealed class WorkerRegistryGrain(IOptions<CoordinatorOptions> options, TimeProvider clock) : Grain, IWorkerRegistryGrain
{
    private readonly Dictionary<string, (WorkerAnnouncement Announcement, DateTimeOffset HeardAt)> workers = new(StringComparer.Ordinal);

    public Task AnnounceAsync(WorkerAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        workers[announcement.Name] = (announcement, clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WorkerAnnouncement>> ListAsync()
    {
        var oldest = clock.GetUtcNow() - options.Value.WorkerTimeout;
        foreach (var (name, worker) in workers.Where(entry => entry.Value.HeardAt < oldest).ToList()) workers.Remove(name);
        return Task.FromResult<IReadOnlyList<WorkerAnnouncement>>([.. workers.Values.Select(worker => worker.Announcement).OrderBy(worker => worker.Name, StringComparer.Ordinal)]);
    }
}
