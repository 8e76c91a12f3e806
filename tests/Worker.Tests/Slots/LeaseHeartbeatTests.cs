using Microsoft.Extensions.Logging;
using SweepRunner.Contracts.Grains;
using SweepRunner.Worker.Slots;

namespace SweepRunner.Worker.Tests.Slots;

/// <summary>
/// A heartbeat the coordinator refuses stops the trial; it warns of a lost lease unless the slot was ending the trial,
/// whose end takes the lease with it.
/// </summary>
public sealed class LeaseHeartbeatTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_refused_renewal_stops_the_trial_and_warns_of_the_lost_lease()
    {
        using var logs = new RecordingLoggerProvider();
        using var heartbeat = RefusedHeartbeat(logs);

        await WhenLost(heartbeat);

        Assert.Contains(logs.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains("is lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_renewal_refused_while_the_trial_ends_is_no_warning()
    {
        using var logs = new RecordingLoggerProvider();
        using var heartbeat = RefusedHeartbeat(logs);

        heartbeat.Ending();
        await WhenLost(heartbeat);

        Assert.DoesNotContain(logs.Lines, line => line.Level >= LogLevel.Warning);
        Assert.Contains(logs.Lines, line => line.Level == LogLevel.Debug && line.Message.Contains("ended while its trial was being ended", StringComparison.Ordinal));
    }

    /// <summary>A heartbeat of a 300 ms lease (renewed every 100 ms) that the coordinator no longer holds.</summary>
    private static LeaseHeartbeat RefusedHeartbeat(RecordingLoggerProvider logs) =>
        new(new RefusingScheduler(), new TrialLease(Guid.NewGuid(), Guid.NewGuid(), 1, 1, Guid.NewGuid(), DateTime.UtcNow.AddMilliseconds(300), "{}"),
            TimeProvider.System, logs.CreateLogger("heartbeat"));

    private static async Task WhenLost(LeaseHeartbeat heartbeat)
    {
        var lost = new TaskCompletionSource();
        using var registration = heartbeat.Lost.Register(() => lost.TrySetResult());
        await lost.Task.WaitAsync(Patience);
    }

    private sealed class RefusingScheduler : ITrialSchedulerGrain
    {
        public Task<TrialLease?> LeaseAsync(string worker, IReadOnlyList<string>? tags = null) => throw new NotSupportedException();

        public Task<IReadOnlyList<TrialLease>> LeaseGroupAsync(string worker, IReadOnlyList<string>? tags, int maxTrials) => throw new NotSupportedException();

        public Task<LeaseRenewal> HeartbeatAsync(Guid trialId, Guid leaseId) => Task.FromResult(new LeaseRenewal(false, null));

        public Task<int> ExpireLeasesAsync() => throw new NotSupportedException();
    }
}
