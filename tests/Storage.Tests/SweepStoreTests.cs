using Microsoft.EntityFrameworkCore;
using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

public sealed class SweepStoreTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    [Theory, BothProviders]
    public async Task Create_stores_the_sweep_and_its_trials_numbered_in_order(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);

        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(3));

        var stored = await db.Sweeps.GetAsync(sweep.Id);
        Assert.NotNull(stored);
        Assert.Equal(("beta sweep", "grid", "test.total", MetricGoal.Minimize, SweepStatus.Pending, 3), (stored.Name, stored.Method, stored.MetricName, stored.MetricGoal, stored.Status, stored.TrialCount));
        Assert.Equal((Samples.Sweep().SpecYaml, Samples.Sweep().SpecCanonical), (stored.SpecYaml, stored.SpecCanonical));
        Assert.Equal(db.Clock.GetUtcNow().UtcDateTime, stored.CreatedAt);
        Assert.Equal(DateTimeKind.Utc, stored.CreatedAt.Kind);
        var trials = (await db.Trials.ListAsync(new TrialQuery(sweep.Id))).Trials;
        Assert.Equal([1, 2, 3], trials.Select(t => t.Number));
        Assert.Equal(Samples.Trials(3).Select(t => t.ConfigJson), trials.Select(t => t.ConfigJson));
        Assert.All(trials, t => Assert.Equal((TrialStatus.Pending, 1, 0), (t.Status, t.Attempt, t.CurrentEpoch)));
    }

    [Theory, BothProviders]
    public async Task A_sweep_stored_without_its_canonical_spec_gets_it_once(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), []);
        await using (var context = db.Contexts.CreateDbContext())
        {
            // As a row written before the column existed.
            await context.Sweeps.Where(s => s.Id == sweep.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.SpecCanonical, (string?)null));
        }

        Assert.Equal("{\"first\":1}", await db.Sweeps.SetSpecCanonicalAsync(sweep.Id, "{\"first\":1}"));
        Assert.Equal("{\"first\":1}", await db.Sweeps.SetSpecCanonicalAsync(sweep.Id, "{\"second\":2}"));
        Assert.Equal("{\"first\":1}", (await db.Sweeps.GetAsync(sweep.Id))!.SpecCanonical);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Sweeps.SetSpecCanonicalAsync(Guid.NewGuid(), "{}"));
    }

    [Theory, BothProviders]
    public async Task Trials_beyond_the_run_cap_are_left_out_whoever_proposes_them(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var capped = await db.Sweeps.CreateAsync(Samples.Sweep() with { RunCap = 2 }, Samples.Trials(3));
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep() with { RunCap = 4 }, Samples.Trials(1));

        var first = await db.Sweeps.AddTrialsAsync(sweep.Id, Samples.Trials(2, first: 2));
        var beyond = await Task.WhenAll(db.Sweeps.AddTrialsAsync(sweep.Id, Samples.Trials(3, first: 4)), db.Sweeps.AddTrialsAsync(sweep.Id, Samples.Trials(3, first: 7)));

        Assert.Equal((2, (int?)2), (capped.TrialCount, (await db.Sweeps.GetAsync(capped.Id))?.RunCap));
        Assert.Equal([2, 3], first.Select(t => t.Number));
        Assert.Single(beyond.SelectMany(added => added));
        Assert.Equal(4, (await db.Sweeps.GetAsync(sweep.Id))?.TrialCount);
        Assert.Equal([1, 2, 3, 4], (await db.Trials.ListAllAsync(sweep.Id)).Select(t => t.Number));
    }

    [Theory, BothProviders]
    public async Task A_sweep_stored_without_its_run_cap_gets_it_once(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(2));

        Assert.Equal(3, await db.Sweeps.SetRunCapAsync(sweep.Id, 3));
        Assert.Equal(3, await db.Sweeps.SetRunCapAsync(sweep.Id, 10));
        await db.Sweeps.AddTrialsAsync(sweep.Id, Samples.Trials(5, first: 3));
        Assert.Equal(3, (await db.Sweeps.GetAsync(sweep.Id))?.TrialCount);
        await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Sweeps.SetRunCapAsync(Guid.NewGuid(), 1));
    }

    [Theory, BothProviders]
    public async Task List_gives_the_newest_sweep_first_and_filters_by_status(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var first = await db.Sweeps.CreateAsync(Samples.Sweep("first"), Samples.Trials(1));
        db.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await db.Sweeps.CreateAsync(Samples.Sweep("second"), Samples.Trials(1));
        await db.Sweeps.TransitionAsync(second.Id, second.Version, SweepStatus.Running);

        Assert.Equal([second.Id, first.Id], (await db.Sweeps.ListAsync()).Select(s => s.Id));
        Assert.Equal([first.Id], (await db.Sweeps.ListAsync([SweepStatus.Pending])).Select(s => s.Id));
        Assert.Equal([second.Id], (await db.Sweeps.ListAsync(limit: 1)).Select(s => s.Id));
    }

    [Theory, BothProviders]
    public async Task Create_stores_a_repeated_config_hash_once(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);

        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), [Samples.Trial(1), Samples.Trial(2), Samples.Trial(1)]);

        Assert.Equal(2, sweep.TrialCount);
        Assert.Equal(2, (await db.Sweeps.GetStatusAsync(sweep.Id))![TrialStatus.Pending]);
    }

    [Fact]
    public async Task Create_that_fails_on_one_trial_stores_nothing()
    {
        await using var db = await CreateDatabaseAsync(StorageProvider.PostgreSql);
        // PostgreSQL rejects a NUL character in text: the 50th insert fails after 49 have been sent.
        var trials = Samples.Trials(49).Append(new NewTrial("{\"beta\":\"\0\"}", "bad")).ToList();

        await Assert.ThrowsAsync<DbUpdateException>(() => db.Sweeps.CreateAsync(Samples.Sweep(), trials));

        await using var context = db.Contexts.CreateDbContext();
        Assert.Equal((0, 0), (context.Sweeps.Count(), context.Trials.Count()));
    }

    [Theory, BothProviders]
    public async Task Adding_trials_adds_only_new_hashes_numbered_after_the_last(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(3));

        var added = await db.Sweeps.AddTrialsAsync(sweep.Id, Samples.Trials(4, first: 2));
        var again = await db.Sweeps.AddTrialsAsync(sweep.Id, Samples.Trials(4, first: 2));

        Assert.Equal([4, 5], added.Select(t => t.Number));
        Assert.Equal([Samples.Trial(4).ConfigHash, Samples.Trial(5).ConfigHash], added.Select(t => t.ConfigHash));
        Assert.Empty(again);
        Assert.Equal(5, (await db.Sweeps.GetAsync(sweep.Id))!.TrialCount);
    }

    [Theory, BothProviders]
    public async Task Concurrent_adders_never_store_a_hash_or_a_number_twice(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), []);

        // Four overlapping ranges of 40: trials 1..100 in all.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => db.Sweeps.AddTrialsAsync(sweep.Id, Samples.Trials(40, first: 1 + (i * 20))))));

        var trials = (await db.Trials.ListAsync(new TrialQuery(sweep.Id) { Limit = 1000 })).Trials;
        Assert.Equal(Enumerable.Range(1, 100), trials.Select(t => t.Number));
        Assert.Equal(100, trials.Select(t => t.ConfigHash).Distinct().Count());
        Assert.Equal(100, (await db.Sweeps.GetAsync(sweep.Id))!.TrialCount);
    }

    [Theory, BothProviders]
    public async Task Adding_trials_to_a_missing_or_finished_sweep_fails(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(1));
        await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Cancelled);

        var missing = await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Sweeps.AddTrialsAsync(Guid.Empty, Samples.Trials(1)));
        var finished = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Sweeps.AddTrialsAsync(sweep.Id, Samples.Trials(1, first: 2)));

        Assert.Equal($"sweep {Guid.Empty} not found", missing.Message);
        Assert.Contains("is cancelled; it takes no more trials", finished.Message, StringComparison.Ordinal);
    }

    [Theory, BothProviders]
    public async Task Status_counts_the_trials_by_status(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(5));
        var first = await db.Leases.LeaseNextAsync("w1", TimeSpan.FromMinutes(1));
        await db.Leases.LeaseNextAsync("w2", TimeSpan.FromMinutes(1));
        await db.Leases.EndAsync(first!.Id, first.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(160)));

        var status = await db.Sweeps.GetStatusAsync(sweep.Id);

        Assert.NotNull(status);
        Assert.Equal(sweep.Id, status.Sweep.Id);
        Assert.Equal((3, 1, 1, 0, 0, 0), (status[TrialStatus.Pending], status[TrialStatus.Running], status[TrialStatus.Completed], status[TrialStatus.Failed], status[TrialStatus.Cancelled], status[TrialStatus.Stopped]));
        Assert.Null(await db.Sweeps.GetStatusAsync(Guid.NewGuid()));
    }

    [Theory, BothProviders]
    public async Task Transition_needs_the_current_version_and_an_allowed_step(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(1));

        var running = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);
        var stale = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Cancelled));
        var backwards = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Sweeps.TransitionAsync(sweep.Id, running.Version, SweepStatus.Pending));

        Assert.Equal((SweepStatus.Running, sweep.Version + 1, null), (running.Status, running.Version, running.FinishedAt));
        Assert.Equal(running.Version, (await db.Sweeps.GetAsync(sweep.Id))!.Version);
        Assert.Equal($"sweep {sweep.Id} changed since version 0; read it again", stale.Message);
        Assert.Equal($"sweep {sweep.Id} is running; it cannot become pending", backwards.Message);
    }

    [Theory, BothProviders]
    public async Task Cancelling_a_sweep_cancels_its_open_trials_and_ends_their_leases(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(3));
        var completed = (await db.Leases.LeaseNextAsync("w1", TimeSpan.FromMinutes(1)))!;
        await db.Leases.EndAsync(completed.Id, completed.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(160)));
        var running = (await db.Leases.LeaseNextAsync("w2", TimeSpan.FromMinutes(1)))!;

        var cancelled = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Cancelled);

        Assert.Equal((SweepStatus.Cancelled, db.Clock.GetUtcNow().UtcDateTime), (cancelled.Status, cancelled.FinishedAt));
        var status = (await db.Sweeps.GetStatusAsync(sweep.Id))!;
        Assert.Equal((1, 2, 0, 0), (status[TrialStatus.Completed], status[TrialStatus.Cancelled], status[TrialStatus.Pending], status[TrialStatus.Running]));
        await Assert.ThrowsAsync<LeaseLostException>(() => db.Leases.RenewAsync(running.Id, running.LeaseId!.Value, TimeSpan.FromMinutes(1)));
    }

    [Theory, BothProviders]
    public async Task Completing_a_sweep_needs_every_trial_ended(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(1));
        sweep = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Running);

        var open = await Assert.ThrowsAsync<InvalidOperationException>(() => db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Completed));
        var trial = (await db.Leases.LeaseNextAsync("w1", TimeSpan.FromMinutes(1)))!;
        await db.Leases.EndAsync(trial.Id, trial.LeaseId!.Value, TrialOutcome.Completed(Samples.Metrics(160)));
        var completed = await db.Sweeps.TransitionAsync(sweep.Id, sweep.Version, SweepStatus.Completed);

        Assert.Equal($"sweep {sweep.Id} has 1 trials still pending or running; it cannot be completed", open.Message);
        Assert.Equal(SweepStatus.Completed, completed.Status);
        Assert.NotNull(completed.FinishedAt);
    }
}
