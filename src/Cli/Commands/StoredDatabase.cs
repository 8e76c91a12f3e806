using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;
using SweepRunner.Cli.Remote;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Ids;
using SweepRunner.Storage.Schema;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// The database a client command opens itself with <c>--db</c> instead of asking a coordinator: a SQLite file such as
/// the one an embedded <c>sweep run</c> leaves, or a connection string. Its failures become the client commands' exit
/// codes, and short ids resolve in it as the coordinator's API resolves them.
/// </summary>
internal static class StoredDatabase
{
    /// <summary>
    /// Runs <paramref name="use"/> on the stores of <paramref name="db"/>, about the sweep or trial (<paramref name="what"/>)
    /// <paramref name="idOrPrefix"/>; every storage failure is a <see cref="CoordinatorException"/> with the exit code a
    /// coordinator's answer would get.
    /// </summary>
    public static async Task<T> UseAsync<T>(string db, string what, string idOrPrefix, Func<SweepDbContextFactory, StorageConnection, Task<T>> use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(use);
        try
        {
            var connection = StorageConnection.Parse(db, Environment.CurrentDirectory);
            // Opening a SQLite file that is not there would create an empty one.
            if (connection.SqliteFile is { } file && !File.Exists(file)) throw new CoordinatorException(ExitCodes.NotFound, $"--db: no database file {file}");
            var contexts = new SweepDbContextFactory(connection);
            // An embedded run's file written by an older version gets the tables this one reads (figures, logs). A server's
            // schema is its deployment's to migrate (sweep db migrate), not a client's.
            if (connection.Provider == StorageProvider.Sqlite) await new SchemaMigrator(contexts).MigrateAsync(new SchemaOptions(), cancellationToken);
            return await use(contexts, connection);
        }
        catch (StorageConfigurationException ex)
        {
            throw new CoordinatorException(ExitCodes.BadInput, $"--db: {ex.Message}");
        }
        catch (StorageUnavailableException ex)
        {
            throw new CoordinatorException(ExitCodes.Unreachable, ex.Message);
        }
        catch (RecordNotFoundException)
        {
            throw new CoordinatorException(ExitCodes.NotFound, $"no {what} {idOrPrefix} in {db}");
        }
        catch (RetryLimitExceededException ex)
        {
            // PostgreSQL stayed unreachable through the store's retries.
            throw new CoordinatorException(ExitCodes.Unreachable, $"--db: {ex.InnerException?.Message ?? ex.Message}");
        }
        catch (DbException ex)
        {
            throw new CoordinatorException(ExitCodes.Failure, $"--db: {ex.Message}");
        }
    }

    /// <summary>
    /// The id <paramref name="idOrPrefix"/> stands for among the database's sweeps or trials (<paramref name="what"/>),
    /// as the coordinator's API resolves it.
    /// </summary>
    public static async Task<Guid> ResolveAsync(
        string what, Func<IdPrefix, int, CancellationToken, Task<IReadOnlyList<Guid>>> find, string idOrPrefix, string db, CancellationToken cancellationToken)
    {
        if (Guid.TryParse(idOrPrefix, out var id)) return id;
        if (!IdPrefix.TryParse(idOrPrefix, out var prefix)) throw new CoordinatorException(ExitCodes.BadInput, $"ID: {idOrPrefix} is not {IdPrefix.Expected}");
        var match = await IdPrefixMatch.FindAsync(prefix, find, cancellationToken);
        return match.Unique ?? throw new CoordinatorException(match.Ids.Count == 0 ? ExitCodes.NotFound : ExitCodes.BadInput, $"{match.Problem(what)} in {db}");
    }
}
