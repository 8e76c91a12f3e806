using System.Data.Common;
using Microsoft.Extensions.Logging.Abstractions;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage.Errors;
using SweepRunner.Worker.Slots;

namespace SweepRunner.Worker.Tests.Slots;

public sealed class OutageRetryTests
{
    public static TheoryData<Exception, bool> Exceptions() => new()
    {
        { new OrleansException("gateway gone"), true },
        { new TimeoutException("response timed out"), true },
        { new InvalidOperationException("transient failure", new TransientDbError()), true },
        { new InvalidOperationException("bad config"), false },
        { new RecordNotFoundException("trial", Guid.Empty), false },
        { new LeaseLostException(Guid.Empty, Guid.Empty), false },
        { new InvalidOperationException("wrapped", new OrleansException("silo gone")), true },
        { new FormatException("lr: not a number"), false },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void An_outage_is_told_from_a_problem_of_the_trial(Exception exception, bool isOutage) =>
        Assert.Equal(isOutage, Outages.IsOutage(exception));

    [Fact]
    public void A_call_through_an_outage_is_made_again_until_it_succeeds()
    {
        using var heartbeat = Heartbeat(TimeSpan.FromMinutes(1));
        var retry = new LeaseBoundRetry(heartbeat, TimeSpan.Zero, TimeProvider.System, "test/slot-1", NullLogger.Instance);
        int calls = 0;

        int result = retry.Run(_ => ++calls < 3 ? throw new OrleansException("down") : Task.FromResult(calls), CancellationToken.None);

        Assert.Equal(3, result);
    }

    [Fact]
    public void An_outage_is_ridden_out_past_the_lease_up_to_the_outage_grace_and_a_trials_own_error_is_thrown_at_once()
    {
        using var heartbeat = Heartbeat(TimeSpan.FromSeconds(1));
        var grace = TimeSpan.FromSeconds(2);
        var retry = new LeaseBoundRetry(heartbeat, grace, TimeProvider.System, "test/slot-1", NullLogger.Instance);
        int callsPastExpiry = 0;
        int ownCalls = 0;

        Assert.Throws<OrleansException>(() => retry.Run(_ =>
        {
            if (DateTime.UtcNow > heartbeat.ExpiresAt) callsPastExpiry++;
            return Task.FromException<int>(new OrleansException("still down"));
        }, CancellationToken.None));
        var gaveUpAt = DateTime.UtcNow;
        Assert.Throws<FormatException>(() => retry.Run(_ => ++ownCalls > 0 ? Task.FromException<int>(new FormatException("bad")) : Task.FromResult(0), CancellationToken.None));

        Assert.True(gaveUpAt >= heartbeat.ExpiresAt + grace, $"gave up at {gaveUpAt:HH:mm:ss.fff}, before {heartbeat.ExpiresAt + grace:HH:mm:ss.fff}");
        Assert.InRange(callsPastExpiry, 1, 10);
        Assert.Equal(1, ownCalls);
    }

    /// <summary>A heartbeat whose renewals all fail (the coordinator is down): the lease runs out after <paramref name="length"/>.</summary>
    private static LeaseHeartbeat Heartbeat(TimeSpan length) =>
        new(new UnreachableScheduler(), new TrialLease(Guid.NewGuid(), Guid.NewGuid(), 1, 1, Guid.NewGuid(), DateTime.UtcNow + length, "{}"), TimeProvider.System, NullLogger.Instance);

    private sealed class UnreachableScheduler : ITrialSchedulerGrain
    {
        public Task<TrialLease?> LeaseAsync(string worker, IReadOnlyList<string>? tags = null) => throw new OrleansException("down");

        public Task<IReadOnlyList<TrialLease>> LeaseGroupAsync(string worker, IReadOnlyList<string>? tags, int maxTrials) => throw new OrleansException("down");

        public Task<LeaseRenewal> HeartbeatAsync(Guid trialId, Guid leaseId) => throw new OrleansException("down");

        public Task<int> ExpireLeasesAsync() => throw new OrleansException("down");
    }

    private sealed class TransientDbError() : DbException("connection reset")
    {
        public override bool IsTransient => true;
    }
}
