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

        var stored = await db.Checkpoints.PutAsync(trial.Id, 1, first);
        await db.Checkpoints.PutAsync(trial.Id, 2, second);

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

        await db.Checkpoints.PutAsync(trial.Id, 1, [1, 2, 3]);
        await db.Checkpoints.PutAsync(trial.Id, 1, [4, 5]);

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
        var stored = await db.Checkpoints.PutAsync(trial.Id, 3, bytes);
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
    public async Task A_checkpoint_of_a_missing_trial_is_refused(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var missing = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Checkpoints.PutAsync(missing, 1, [1]));

        Assert.Equal($"trial {missing} not found", error.Message);
        Assert.Null(await db.Checkpoints.GetAsync(missing));
    }
}
