using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

/// <summary>
/// A slot leases a group of trials to train packed: the next pending trial and, when its sweep packs, more of that
/// sweep's pending trials with its packing key and no checkpoint, each under its own lease, in one transaction.
/// </summary>
public sealed class PackedLeaseTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    /// <summary>The product's rule in miniature: a sweep packs when its spec says so; MLP configs equal but for β pack.</summary>
    private static readonly TrialPackingRule Rule = new(
        spec => spec?.Contains("\"packing\":\"auto\"", StringComparison.Ordinal) == true,
        config =>
        {
            var values = JsonNode.Parse(config)!.AsObject();
            if ((string?)values["model"] != "mlp") return null;
            values.Remove("beta");
            return values.ToJsonString();
        });

    [Theory, BothProviders]
    public async Task A_group_takes_the_oldest_compatible_trials_of_the_sweep_and_leases_each_alone(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(PackedSweep(),
            [Config(1, 1), Config(2, 2), Config(3, 4, seed: 1), Config(4, 8), Config(5, 16, model: "cnn"), Config(6, 32)]);
        db.Clock.Advance(TimeSpan.FromSeconds(1));
        var other = await db.Sweeps.CreateAsync(PackedSweep("other sweep"), [Config(1, 64)]);

        var group = await db.Leases.LeaseGroupAsync("worker-1", Minute, maxTrials: 3, Rule);
        var otherSeed = await db.Leases.LeaseGroupAsync("worker-1", Minute, maxTrials: 8, Rule);
        var cnn = await db.Leases.LeaseGroupAsync("worker-1", Minute, maxTrials: 8, Rule);
        var rest = await db.Leases.LeaseGroupAsync("worker-1", Minute, maxTrials: 8, Rule);
        var otherSweep = await db.Leases.LeaseGroupAsync("worker-1", Minute, maxTrials: 8, Rule);

        Assert.Equal([1, 2, 4], group.Select(t => t.Number));
        Assert.All(group, t => Assert.Equal(sweep.Id, t.SweepId));
        Assert.Equal([3], otherSeed.Select(t => t.Number));
        Assert.Equal([5], cnn.Select(t => t.Number));
        Assert.Equal([6], rest.Select(t => t.Number));
        Assert.Equal((other.Id, 1), (Assert.Single(otherSweep).SweepId, otherSweep[0].Number));
        Assert.Empty(await db.Leases.LeaseGroupAsync("worker-1", Minute, maxTrials: 8, Rule));

        // Each member is leased as if alone: running under its own lease, renewable and ended on its own.
        var stored = await Task.WhenAll(group.Select(t => db.Trials.GetAsync(t.Id)));
        Assert.All(stored, t => Assert.Equal((TrialStatus.Running, "worker-1", db.Clock.StorageNow() + Minute), (t!.Status, t.LeaseOwner, t.LeaseExpiresAt)));
        Assert.Equal(3, stored.Select(t => t!.LeaseId).Distinct().Count());
        await db.Leases.EndAsync(group[1].Id, group[1].LeaseId!.Value, TrialOutcome.Stopped(Samples.Metrics(100)));
        Assert.Equal(TrialStatus.Running, (await db.Trials.GetAsync(group[0].Id))!.Status);
    }

    [Theory, BothProviders]
    public async Task A_trial_with_a_checkpoint_and_the_trials_of_a_sweep_that_does_not_pack_are_leased_alone(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(PackedSweep(), [Config(1, 1), Config(2, 2), Config(3, 4)]);
        var first = (await db.Leases.LeaseNextAsync("worker-1", Minute))!;
        await db.Checkpoints.PutAsync(first.Id, first.LeaseId!.Value, 1, [1, 2, 3]);
        db.Clock.Advance(TimeSpan.FromMinutes(2));
        await db.Leases.ExpireAsync(infrastructureAttempts: 3, trialTimeout: null);
        db.Clock.Advance(TimeSpan.FromSeconds(1));
        await db.Sweeps.CreateAsync(Samples.Sweep("unpacked sweep"), [Config(1, 1), Config(2, 2)]);

        var resumed = await db.Leases.LeaseGroupAsync("worker-2", Minute, maxTrials: 8, Rule);
        var fresh = await db.Leases.LeaseGroupAsync("worker-2", Minute, maxTrials: 8, Rule);
        var unpacked = await db.Leases.LeaseGroupAsync("worker-2", Minute, maxTrials: 8, Rule);

        Assert.Equal((first.Id, 2), (Assert.Single(resumed).Id, resumed[0].Attempt));
        Assert.Equal([2, 3], fresh.Select(t => t.Number));
        Assert.Equal(1, Assert.Single(unpacked).Number);
    }

    [Theory, BothProviders]
    public async Task A_group_of_one_takes_only_the_next_trial(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(PackedSweep(), [Config(1, 1), Config(2, 2)]);

        var alone = await db.Leases.LeaseGroupAsync("worker-1", Minute, maxTrials: 1, Rule);

        Assert.Equal(1, Assert.Single(alone).Number);
    }

    [Theory, BothProviders]
    public async Task Concurrent_slots_leasing_groups_get_each_of_60_trials_exactly_once(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(PackedSweep(), Enumerable.Range(1, 60).Select(i => Config(i, i)));
        var groups = new ConcurrentBag<IReadOnlyList<TrialRecord>>();

        await Task.WhenAll(Enumerable.Range(1, 6).Select(i => Task.Run(async () =>
        {
            while (await db.Leases.LeaseGroupAsync($"worker-{i}", Minute, maxTrials: 4, Rule) is { Count: > 0 } group) groups.Add(group);
        })));

        Assert.Equal(Enumerable.Range(1, 60), groups.SelectMany(g => g.Select(t => t.Number)).Order());
        // How big the groups come out depends on timing: a caller skips the trials the others hold locked at that
        // moment, so under contention groups may all be singletons. Group forming is tested without contention above.
        Assert.All(groups, g => Assert.InRange(g.Count, 1, 4));
    }

    private static NewSweep PackedSweep(string name = "packed sweep") => Samples.Sweep(name) with
    {
        SpecCanonical = """{"format":1,"method":"grid","parameters":[{"name":"beta","distribution":"categorical","values":[1.0,2.0]}],"packing":"auto"}""",
    };

    private static NewTrial Config(int index, double beta, int seed = 0, string model = "mlp") =>
        new(string.Create(CultureInfo.InvariantCulture, $$"""{"beta":{{beta:0.0###}},"model":"{{model}}","seed":{{seed}}}"""), index.ToString("x64", CultureInfo.InvariantCulture));
}
