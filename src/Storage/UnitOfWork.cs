using Microsoft.EntityFrameworkCore;

namespace SweepRunner.Storage;

/// <summary>
/// Explicit transactions under the context's execution strategy. PostgreSQL's strategy retries transient errors, and
/// a retry must replay the whole unit of work, from its first read to its commit (EF refuses a user transaction
/// outside the strategy); SQLite's strategy runs it once.
/// </summary>
internal static class UnitOfWork
{
    /// <summary>Runs <paramref name="work"/> in a transaction of a new context; commits when it returns, rolls back when it throws.</summary>
    public static async Task<T> InTransactionAsync<T>(
        this IDbContextFactory<SweepDbContext> contexts, Func<SweepDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.InTransactionAsync(work, cancellationToken);
    }

    /// <inheritdoc cref="InTransactionAsync{T}(IDbContextFactory{SweepDbContext}, Func{SweepDbContext, CancellationToken, Task{T}}, CancellationToken)"/>
    public static Task InTransactionAsync(
        this IDbContextFactory<SweepDbContext> contexts, Func<SweepDbContext, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        contexts.InTransactionAsync(async (db, token) =>
        {
            await work(db, token);
            return true;
        }, cancellationToken);

    /// <summary>Runs <paramref name="work"/> in a transaction of <paramref name="db"/>; commits when it returns, rolls back when it throws.</summary>
    public static Task<T> InTransactionAsync<T>(this SweepDbContext db, Func<SweepDbContext, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(async token =>
        {
            // A retry starts over: entities tracked by the failed attempt must not be saved by the next one.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(token);
            var result = await work(db, token);
            await transaction.CommitAsync(token);
            return result;
        }, cancellationToken);
}
