using Microsoft.Extensions.Logging.Abstractions;
using SweepRunner.Coordinator.Grains;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Leases;
using SweepRunner.TestSupport;

namespace SweepRunner.Coordinator.Tests;

public sealed class ExpiryGraceTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(20);

    private readonly ManualClock clock = new();
    private readonly FakeStore store = new();

    [Fact]
    public async Task Leases_expire_only_once_the_grace_after_a_start_has_passed()
    {
        var grace = new ExpiryGrace(Grace, TimeSpan.FromSeconds(5), clock, NullLogger.Instance);
        grace.Start("the scheduler started");

        var withinGrace = await PassAsync(grace);
        clock.Advance(Grace);
        var afterGrace = await PassAsync(grace);

        Assert.Null(withinGrace);
        Assert.Equal(new ExpiredLeases(2, 0, 0), afterGrace);
        Assert.Equal((1, 0), (store.Expiries, store.Probes));
    }

    [Fact]
    public async Task After_an_outage_the_store_is_only_probed_until_it_answers_and_leases_expire_a_grace_later()
    {
        var grace = new ExpiryGrace(Grace, TimeSpan.FromSeconds(5), clock, NullLogger.Instance);
        store.Down = true;

        var failed = await PassAsync(grace);
        var stillDown = await PassAsync(grace);
        store.Down = false;
        var back = await PassAsync(grace);
        clock.Advance(Grace - TimeSpan.FromSeconds(1));
        var withinGrace = await PassAsync(grace);
        (int expiries, int probes) beforeGraceEnds = (store.Expiries, store.Probes);
        clock.Advance(TimeSpan.FromSeconds(1));
        var afterGrace = await PassAsync(grace);

        Assert.All(new[] { failed, stillDown, back, withinGrace }, Assert.Null);
        Assert.Equal((1, 2), beforeGraceEnds);
        Assert.Equal(new ExpiredLeases(2, 0, 0), afterGrace);
    }

    [Fact]
    public async Task A_store_call_held_past_the_slow_call_bound_starts_a_grace_when_it_ends()
    {
        var grace = new ExpiryGrace(Grace, TimeSpan.FromMilliseconds(100), clock, NullLogger.Instance);

        int answer = await grace.CallStoreAsync(async token =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), token);
            return 7;
        }, CancellationToken.None);
        var withinGrace = await PassAsync(grace);
        clock.Advance(Grace);
        var afterGrace = await PassAsync(grace);

        Assert.Equal(7, answer);
        Assert.Null(withinGrace);
        Assert.Equal(new ExpiredLeases(2, 0, 0), afterGrace);
        Assert.Equal((1, 0), (store.Expiries, store.Probes));
    }

    [Fact]
    public async Task A_refused_lease_or_a_failure_of_the_pass_itself_is_thrown_and_is_not_an_outage()
    {
        var grace = new ExpiryGrace(Grace, TimeSpan.FromSeconds(5), clock, NullLogger.Instance);

        await Assert.ThrowsAsync<LeaseLostException>(() => grace.CallStoreAsync<int>(_ => throw new LeaseLostException(Guid.NewGuid(), Guid.NewGuid()), CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => grace.PassAsync(_ => throw new InvalidOperationException("a bug"), store.CountLapsedAsync, CancellationToken.None));
        var next = await PassAsync(grace);

        Assert.Equal(new ExpiredLeases(2, 0, 0), next);
        Assert.Equal((1, 0), (store.Expiries, store.Probes));
    }

    private Task<ExpiredLeases?> PassAsync(ExpiryGrace grace) => grace.PassAsync(store.ExpireAsync, store.CountLapsedAsync, CancellationToken.None);

    /// <summary>The two store calls of an expiry pass, counted; while <see cref="Down"/>, both fail as an unreachable store does.</summary>
    private sealed class FakeStore
    {
        public bool Down { get; set; }

        public int Expiries { get; private set; }

        public int Probes { get; private set; }

        public Task<ExpiredLeases> ExpireAsync(CancellationToken cancellationToken)
        {
            Expiries++;
            return Down ? Task.FromException<ExpiredLeases>(Outage()) : Task.FromResult(new ExpiredLeases(2, 0, 0));
        }

        public Task<int> CountLapsedAsync(CancellationToken cancellationToken)
        {
            Probes++;
            return Down ? Task.FromException<int>(Outage()) : Task.FromResult(3);
        }

        // What the retrying strategy throws when it gives up on a connection that timed out.
        private static InvalidOperationException Outage() => new("retry limit exceeded", new TimeoutException("connection timed out"));
    }
}
