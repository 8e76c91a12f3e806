using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Figures;

namespace SweepRunner.Storage.Tests;

public sealed class TrialFigureStoreTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    [Theory, BothProviders]
    public async Task Stored_figures_list_by_name_without_bytes_and_read_back_byte_for_byte(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        byte[] samples = RandomNumberGenerator.GetBytes(20_000), manifold = RandomNumberGenerator.GetBytes(300);

        await db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("samples.png", samples), new("manifold.png", manifold)]);

        Assert.Equal(
            [new TrialFigureInfo("manifold.png", 300, Sha256(manifold)), new TrialFigureInfo("samples.png", 20_000, Sha256(samples))],
            await db.Figures.ListAsync(trial.Id));
        var read = await db.Figures.GetAsync(trial.Id, "samples.png");
        Assert.Equal(samples, read?.Png);
        Assert.Equal((trial.Id, "samples.png", Sha256(samples), 20_000L, db.Clock.GetUtcNow().UtcDateTime), (read?.TrialId, read?.Name, read?.Sha256, read?.SizeBytes, read?.CreatedAt));
        Assert.Null(await db.Figures.GetAsync(trial.Id, "loss-curves.png"));
    }

    [Theory, BothProviders]
    public async Task Storing_figures_again_replaces_all_of_them_and_leaves_no_stale_one(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        await db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("manifold-digit-0.png", [1]), new("manifold-digit-1.png", [2]), new("samples.png", [3])]);

        await db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("manifold-digit-1.png", [4, 5]), new("digit-1.png", [6])]);

        Assert.Equal(["digit-1.png", "manifold-digit-1.png"], (await db.Figures.ListAsync(trial.Id)).Select(f => f.Name));
        Assert.Equal([4, 5], (await db.Figures.GetAsync(trial.Id, "manifold-digit-1.png"))?.Png);
        Assert.Null(await db.Figures.GetAsync(trial.Id, "samples.png"));
    }

    [Theory, BothProviders]
    public async Task Figures_under_a_lease_that_moved_on_are_refused_and_the_stored_ones_stay(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var lost = await db.CreateRunningTrialAsync();
        await db.Figures.PutAsync(lost.Id, lost.LeaseId!.Value, [new("samples.png", [1])]);
        await db.LeaseAgainAfterExpiryAsync(lost);

        await Assert.ThrowsAsync<LeaseLostException>(() => db.Figures.PutAsync(lost.Id, lost.LeaseId.Value, [new("manifold.png", [2])]));

        Assert.Equal(["samples.png"], (await db.Figures.ListAsync(lost.Id)).Select(f => f.Name));
    }

    [Theory, BothProviders]
    public async Task Figures_of_a_missing_trial_are_refused_and_none_are_listed(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var missing = Guid.NewGuid();

        var error = await Assert.ThrowsAsync<RecordNotFoundException>(() => db.Figures.PutAsync(missing, Guid.NewGuid(), [new("samples.png", [1])]));

        Assert.Equal($"trial {missing} not found", error.Message);
        Assert.Empty(await db.Figures.ListAsync(missing));
        Assert.Null(await db.Figures.GetAsync(missing, "samples.png"));
    }

    [Theory]
    [InlineData("../samples.png")]
    [InlineData("figures/samples.png")]
    [InlineData("figures\\samples.png")]
    [InlineData("/tmp/samples.png")]
    [InlineData("samples.jpg")]
    [InlineData(".png")]
    [InlineData("samples.png\n")]
    [InlineData("sämples.png")]
    [InlineData("")]
    public async Task A_name_that_is_not_a_plain_png_file_name_is_refused_and_nothing_is_stored(string name)
    {
        await using var db = await CreateDatabaseAsync(StorageProvider.Sqlite);
        var trial = await db.CreateRunningTrialAsync();
        await db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("samples.png", [1])]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("manifold.png", [2]), new(name, [3])]));

        Assert.StartsWith($"figure name {name}: expected a plain file name ending in .png", error.Message, StringComparison.Ordinal);
        Assert.Equal(["samples.png"], (await db.Figures.ListAsync(trial.Id)).Select(f => f.Name));
    }

    [Fact]
    public async Task A_name_given_twice_is_refused()
    {
        await using var db = await CreateDatabaseAsync(StorageProvider.Sqlite);
        var trial = await db.CreateRunningTrialAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("samples.png", [1]), new("samples.png", [2])]));

        Assert.StartsWith("figure samples.png is given twice", error.Message, StringComparison.Ordinal);
    }

    [Theory, BothProviders]
    public async Task A_figure_with_a_flipped_byte_fails_its_integrity_check(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        byte[] png = RandomNumberGenerator.GetBytes(4096);
        await db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("manifold.png", png)]);
        byte[] corrupted = [.. png];
        corrupted[99] ^= 0x10;
        await using (var context = db.Contexts.CreateDbContext())
        {
            await context.Database.ExecuteSqlAsync($"UPDATE trial_figures SET png = {corrupted} WHERE trial_id = {trial.Id} AND name = 'manifold.png'");
        }

        var error = await Assert.ThrowsAsync<StorageIntegrityException>(() => db.Figures.GetAsync(trial.Id, "manifold.png"));

        Assert.Equal($"figure manifold.png of trial {trial.Id} is corrupt: SHA-256 {Sha256(corrupted)}, stored as {Sha256(png)}", error.Message);
    }

    [Theory, BothProviders]
    public async Task Deleting_a_sweep_deletes_its_trials_figures(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var trial = await db.CreateRunningTrialAsync();
        await db.Figures.PutAsync(trial.Id, trial.LeaseId!.Value, [new("samples.png", [1, 2, 3])]);

        await using var context = db.Contexts.CreateDbContext();
        await context.Database.ExecuteSqlAsync($"DELETE FROM sweeps WHERE id = {trial.SweepId}");

        Assert.Empty(await db.Figures.ListAsync(trial.Id));
        Assert.Equal(0, await context.TrialFigures.CountAsync());
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
