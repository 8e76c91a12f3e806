using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;
using SweepRunner.Cli.Remote;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Ids;
using SweepRunner.Storage.Schema;
using SweepRunner.Storage.Sweeps;

namespace SweepRunner.Cli.Commands;

/// <summary>
/// The database a client command opens itself with <c>--db</c> instead of asking a coordinator: a SQLite file such as
/// the one an embedded <c>sweep run</c> leaves, or a connection string. Its failures become the client commands' exit
/// codes, and short ids resolve in it as the coordinator's API resolves them.
/// </summary>
internal static class StoredDatabase
{
    /// <summary>
    /// Runs <paramref name="use"/> on the stores of <paramref name="db"/>, about the sweep <paramref name="idOrPrefix"/>;
    /// every storage failure is a <see cref="CoordinatorException"/> with the exit code a coordinator's answer would get.
    /// </summary>
    public static async Task<T> UseAsync<T>(string db, string idOrPrefix, Func<SweepDbContextFactory, StorageConnection, Task<T>> use, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(use);
        try
        {
            var connection = StorageConnection.Parse(db, Environment.CurrentDirectory);
            // Opening a SQLite file that is not there would create an empty one.
            if (connection.SqliteFile is { } file && !File.Exists(file)) throw new CoordinatorException(ExitCodes.NotFound, $"--db: no database file {file}");
            var contexts = new SweepDbContextFactory(connection);
            // An embedded run's file written by an older version gets the tables this one reads (the figures). A server's
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
            throw new CoordinatorException(ExitCodes.NotFound, $"no sweep {idOrPrefix} in {db}");
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

    /// <summary>The sweep id <paramref name="idOrPrefix"/> stands for in the database, as the coordinator's API resolves it.</summary>
    public static async Task<Guid> ResolveAsync(SweepStore sweeps, string idOrPrefix, string db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sweeps);
        if (Guid.TryParse(idOrPrefix, out var id)) return id;
        if (!IdPrefix.TryParse(idOrPrefix, out var prefix)) throw new CoordinatorException(ExitCodes.BadInput, $"ID: {idOrPrefix} is not {IdPrefix.Expected}");
        var match = await IdPrefixMatch.FindAsync(prefix, sweeps.FindIdsAsync, cancellationToken);
        return match.Unique ?? throw new CoordinatorException(match.Ids.Count == 0 ? ExitCodes.NotFound : ExitCodes.BadInput, $"{match.Problem("sweep")} in {db}");
    }
}
