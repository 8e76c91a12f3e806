using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;

namespace SweepRunner.Storage.Tests;

public sealed class CheckpointStoreTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    [Theory, BothProviders]
    public async Task A_stored_checkpoint_reads_back_byte_for_byte_with_its_hash(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        byte[] first = RandomNumberGenerator.GetBytes(300_000), second = RandomNumberGenerator.GetBytes(1000);

        var stored = await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 1, first);
        await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 2, second);

        var latest = await db.Checkpoints.GetAsync(trial.Id);
        var epochOne = await db.Checkpoints.GetAsync(trial.Id, epoch: 1);
        Assert.Equal(2, latest?.Epoch);
        Assert.Equal(second, latest?.Bytes);
        Assert.Equal(first, epochOne?.Bytes);
        Assert.Equal((Convert.ToHexStringLower(SHA256.HashData(first)), 300_000L), (epochOne?.Sha256, epochOne?.SizeBytes));
        Assert.Equal(stored.Sha256, epochOne?.Sha256);
        Assert.Null(await db.Checkpoints.GetAsync(trial.Id, epoch: 3));
    }

    [Theory, BothProviders]
    public async Task Storing_an_epoch_again_replaces_its_checkpoint(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();

        await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 1, [1, 2, 3]);
        await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 1, [4, 5]);

        Assert.Equal([4, 5], (await db.Checkpoints.GetAsync(trial.Id, 1))?.Bytes);
        await using var context = db.Contexts.CreateDbContext();
        Assert.Equal(1, await context.Checkpoints.CountAsync(c => c.TrialId == trial.Id));
    }

    [Theory, BothProviders]
    public async Task A_checkpoint_with_a_flipped_byte_fails_its_integrity_check(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        byte[] bytes = RandomNumberGenerator.GetBytes(4096);
        var stored = await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 3, bytes);
        byte[] corrupted = [.. bytes];
        corrupted[1234] ^= 0x01;
        await using (var context = db.Contexts.CreateDbContext())
        {
            await context.Database.ExecuteSqlAsync($"UPDATE checkpoints SET bytes = {corrupted} WHERE trial_id = {trial.Id} AND epoch = 3");
        }

        var error = await Assert.ThrowsAsync<StorageIntegrityException>(() => db.Checkpoints.GetAsync(trial.Id));

        Assert.Equal(
            $"checkpoint of trial {trial.Id}, epoch 3 is corrupt: SHA-256 {Convert.ToHexStringLower(SHA256.HashData(corrupted))}, stored as {stored.Sha256}",
            error.Message);
    }

    [Theory, BothProviders]
    public async Task A_checkpoint_under_a_lease_that_moved_on_is_refused_and_not_stored(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var lost = await db.CreateRunningTrialAsync();
        await db.Checkpoints.PutAsync(lost.Id, lost.LeaseId!.Value, 1, [1]);
        var current = await db.LeaseAgainAfterExpiryAsync(lost);

        await Assert.ThrowsAsync<LeaseLostException>(() => db.Checkpoints.PutAsync(lost.Id, lost.LeaseId.Value, 2, [2]));
        await Assert.ThrowsAsync<LeaseLostException>(() => db.Checkpoints.PutAsync(lost.Id, lost.LeaseId.Value, 1, [9]));

        Assert.Equal((1, (byte)1), ((await db.Checkpoints.GetAsync(lost.Id))!.Epoch, (await db.Checkpoints.GetAsync(lost.Id))!.Bytes[0]));
        await db.Checkpoints.PutAsync(current.Id, current.LeaseId!.Value, 2, [2]);
        Assert.Equal(2, (await db.Checkpoints.GetAsync(current.Id))!.Epoch);
    }

    [Theory, BothProviders]
    public async Task A_checkpoint_of_a_missing_trial_is_refused(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var missing = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Checkpoints.PutAsync(missing, Guid.NewGuid(), 1, [1]));

        Assert.Equal($"trial {missing} not found", error.Message);
        Assert.Null(await db.Checkpoints.GetAsync(missing));
    }

    [Theory, BothProviders]
    public async Task Pruning_deletes_the_epochs_not_kept_but_never_the_latest(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        var other = await db.CreateRunningTrialAsync();
        for (int epoch = 1; epoch <= 5; epoch++) await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, epoch, [(byte)epoch]);
        await db.Checkpoints.PutAsync(other.Id, other.LeaseId!.Value, 1, [9]);

        int deleted = await db.Checkpoints.PruneAsync(trial.Id, [2]);

        Assert.Equal(3, deleted);
        Assert.Equal([2, 5], await EpochsAsync(db, trial.Id));
        Assert.Equal([5], (await db.Checkpoints.GetAsync(trial.Id))?.Bytes);
        Assert.Equal([1], await EpochsAsync(db, other.Id));
    }

    [Theory, BothProviders]
    public async Task Pruning_to_no_epoch_leaves_the_latest_alone_and_a_second_prune_deletes_nothing(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        for (int epoch = 1; epoch <= 3; epoch++) await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, epoch, [(byte)epoch]);

        Assert.Equal(2, await db.Checkpoints.PruneAsync(trial.Id, []));
        Assert.Equal(0, await db.Checkpoints.PruneAsync(trial.Id, []));

        Assert.Equal([3], await EpochsAsync(db, trial.Id));
        Assert.Equal(0, await db.Checkpoints.PruneAsync(Guid.NewGuid(), [1]));
    }

    [Theory, BothProviders]
    public async Task A_sweeps_checkpoint_bytes_sum_its_trials_stored_checkpoints_only(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        var other = await db.CreateRunningTrialAsync();
        await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 1, new byte[1000]);
        await db.Checkpoints.PutAsync(trial.Id, trial.LeaseId!.Value, 2, new byte[300]);
        await db.Checkpoints.PutAsync(other.Id, other.LeaseId!.Value, 1, new byte[7]);

        Assert.Equal(1300, await db.Checkpoints.SweepBytesAsync(trial.SweepId));
        await db.Checkpoints.PruneAsync(trial.Id, []);
        Assert.Equal(300, await db.Checkpoints.SweepBytesAsync(trial.SweepId));
        Assert.Equal(0, await db.Checkpoints.SweepBytesAsync(Guid.NewGuid()));
    }

    private static async Task<List<int>> EpochsAsync(TestDatabase db, Guid trialId)
    {
        await using var context = db.Contexts.CreateDbContext();
        return await context.Checkpoints.Where(c => c.TrialId == trialId).OrderBy(c => c.Epoch).Select(c => c.Epoch).ToListAsync();
    }
}
