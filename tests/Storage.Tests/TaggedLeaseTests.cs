using SweepRunner.Storage.Connection;

namespace SweepRunner.Storage.Tests;

/// <summary>A trial that requires worker tags is leased only to a worker carrying all of them; one that requires none, to any.</summary>
public sealed class TaggedLeaseTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory, BothProviders]
    public async Task A_worker_leases_only_the_trials_whose_tags_it_carries_oldest_first(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        await db.Sweeps.CreateAsync(Samples.Sweep(),
        [
            Samples.Trial(1) with { RequiredTags = ["gpu"] },
            Samples.Trial(2) with { RequiredTags = ["gpu", "big-mem"] },
            Samples.Trial(3),
        ]);

        var cpu = await db.Leases.LeaseNextAsync("cpu-worker", Minute, tags: ["cpu"]);
        var cpuAgain = await db.Leases.LeaseNextAsync("cpu-worker", Minute, tags: ["cpu"]);
        var gpu = await db.Leases.LeaseNextAsync("gpu-worker", Minute, tags: ["gpu"]);
        var gpuAgain = await db.Leases.LeaseNextAsync("gpu-worker", Minute, tags: ["gpu"]);
        var both = await db.Leases.LeaseNextAsync("big-worker", Minute, tags: ["gpu", "cpu", "big-mem"]);

        Assert.Equal(3, cpu?.Number);
        Assert.Null(cpuAgain);
        Assert.Equal((1, "gpu"), (gpu?.Number, gpu?.RequiredTags));
        Assert.Null(gpuAgain);
        Assert.Equal((2, "big-mem,gpu"), (both?.Number, both?.RequiredTags));
    }

    [Theory, BothProviders]
    public async Task A_worker_without_tags_leases_only_untagged_trials_and_a_tagged_one_any_untagged_trial(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), [Samples.Trial(1) with { RequiredTags = ["gpu"] }, Samples.Trial(2), Samples.Trial(3)]);

        var untagged = await db.Leases.LeaseNextAsync("plain", Minute);
        var tagged = await db.Leases.LeaseNextAsync("special", Minute, tags: ["special"]);
        var none = await db.Leases.LeaseNextAsync("plain", Minute);

        Assert.Equal((2, 3), (untagged?.Number, tagged?.Number));
        Assert.Null(none);
        var waiting = await db.Trials.CountPendingByRequiredTagsAsync(sweep.Id);
        Assert.Equal(("gpu", 1), (Assert.Single(waiting.Keys), waiting["gpu"]));
    }
}
