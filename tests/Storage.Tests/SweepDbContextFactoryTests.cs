using SweepRunner.Storage.Connection;

namespace SweepRunner.Storage.Tests;

/// <summary>The store's model can be built ahead of its first use, without a database, for either provider, and is then the contexts' own.</summary>
public sealed class SweepDbContextFactoryTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("Host=127.0.0.1;Port=1;Database=nowhere")]
    [InlineData("Data Source=/nonexistent-folder/store.db")]
    public async Task The_model_builds_in_the_background_without_touching_the_database(string connectionString)
    {
        var contexts = new SweepDbContextFactory(StorageConnection.Parse(connectionString, Environment.CurrentDirectory));

        var built = await contexts.BuildModelInBackground().WaitAsync(Patience);

        Assert.NotNull(built);
        Assert.Contains(built.GetEntityTypes(), entity => entity.ClrType == typeof(Records.TrialRecord));
        // The very model the store's contexts use, not one of its own.
        using var db = contexts.CreateDbContext();
        Assert.Same(built, db.Model);
    }
}
