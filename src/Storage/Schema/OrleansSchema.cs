using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace SweepRunner.Storage.Schema;

/// <summary>
/// The Orleans ADO.NET clustering schema for PostgreSQL: the third-party scripts of deploy/sql/orleans, embedded in
/// this assembly and run as they are, Main first.
/// </summary>
internal static class OrleansSchema
{
    // The scripts cannot run twice (plain CREATE TABLE), so each is skipped when a table it creates exists.
    private static readonly (string Script, string Table)[] Clustering =
    [
        ("PostgreSQL-Main.sql", "orleansquery"),
        ("PostgreSQL-Clustering.sql", "orleansmembershiptable"),
    ];

    /// <summary>Runs the clustering scripts not applied yet, all in one transaction; returns their names.</summary>
    public static async Task<IReadOnlyList<string>> ApplyClusteringAsync(SweepDbContext db, CancellationToken cancellationToken)
    {
        return await db.InTransactionAsync<IReadOnlyList<string>>(async (_, token) =>
        {
            var applied = new List<string>();
            foreach (var script in await MissingClusteringAsync(db, token))
            {
                await RunAsync(db, await ReadAsync(script, token), token);
                applied.Add(script);
            }
            return applied;
        }, cancellationToken);
    }

    /// <summary>The clustering scripts not applied yet, in the order they run; reads the catalogue only.</summary>
    public static async Task<IReadOnlyList<string>> MissingClusteringAsync(SweepDbContext db, CancellationToken cancellationToken)
    {
        var missing = new List<string>();
        foreach (var (script, table) in Clustering)
        {
            bool exists = await db.Database.SqlQuery<bool>($"SELECT to_regclass({table}) IS NOT NULL AS \"Value\"").SingleAsync(cancellationToken);
            if (!exists) missing.Add(script);
        }
        return missing;
    }

    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "The text is a third-party schema script embedded at build time, run as it is; no input reaches it.")]
    private static async Task RunAsync(SweepDbContext db, string script, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        command.CommandText = script;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<string> ReadAsync(string script, CancellationToken cancellationToken)
    {
        await using var stream = typeof(OrleansSchema).Assembly.GetManifestResourceStream("orleans/" + script)
            ?? throw new InvalidOperationException($"the Orleans script {script} is not embedded in {typeof(OrleansSchema).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken);
    }
}
