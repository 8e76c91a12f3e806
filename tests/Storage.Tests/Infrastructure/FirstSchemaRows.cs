using System.Data.Common;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using SweepRunner.Storage.Connection;

namespace SweepRunner.Storage.Tests;

/// <summary>
/// A running sweep with a completed trial (its epoch's metrics and checkpoint) and a pending one, written as the first
/// migration's schema has them: the stores write the current schema's columns, so these are plain parameterized
/// commands with constant text. SQLite holds ids as upper-case text, as EF Core writes them.
/// </summary>
public sealed class FirstSchemaRows(StorageProvider provider, DateTime now)
{
    public const string Yaml = "method: grid\nparameters:\n  beta:\n    values: [1, 2]\n";

    public static readonly byte[] Checkpoint = [1, 2, 3, 4];

    public Guid SweepId { get; } = Guid.NewGuid();

    public Guid CompletedTrialId { get; } = Guid.NewGuid();

    public Guid PendingTrialId { get; } = Guid.NewGuid();

    public async Task InsertAsync(SweepDbContext context)
    {
        await ExecuteAsync(context,
            "INSERT INTO sweeps (id, name, spec_yaml, method, metric_name, metric_goal, status, trial_count, created_at, version) " +
            "VALUES (@id, @name, @yaml, 'grid', 'test.total', 'minimize', 'running', 2, @now, 1)",
            ("id", Id(SweepId)), ("name", "old"), ("yaml", Yaml), ("now", now));
        const string trial =
            "INSERT INTO trials (id, sweep_id, number, config_json, config_hash, status, attempt, current_epoch, test_total, created_at, updated_at, version) " +
            "VALUES (@id, @sweep, @number, @config, @hash, @status, 1, @epoch, @total, @now, @now, 0)";
        await ExecuteAsync(context, trial, ("id", Id(CompletedTrialId)), ("sweep", Id(SweepId)), ("number", 1), ("config", "{\"beta\":1}"), ("hash", "one"),
            ("status", "completed"), ("epoch", 1), ("total", 150.5), ("now", now));
        await ExecuteAsync(context, trial, ("id", Id(PendingTrialId)), ("sweep", Id(SweepId)), ("number", 2), ("config", "{\"beta\":2}"), ("hash", "two"),
            ("status", "pending"), ("epoch", 0), ("total", DBNull.Value), ("now", now));
        const string epoch =
            "INSERT INTO epoch_metrics (trial_id, epoch, split, recon, kl, total, seconds, samples_per_second, recorded_at) " +
            "VALUES (@trial, 1, @split, @recon, 10, @total, 2, 1000, @now)";
        await ExecuteAsync(context, epoch, ("trial", Id(CompletedTrialId)), ("split", "train"), ("recon", 150.5), ("total", 160.5), ("now", now));
        await ExecuteAsync(context, epoch, ("trial", Id(CompletedTrialId)), ("split", "test"), ("recon", 140.5), ("total", 150.5), ("now", now));
        await ExecuteAsync(context,
            "INSERT INTO checkpoints (trial_id, epoch, bytes, sha256, size_bytes, created_at) VALUES (@trial, 1, @bytes, @sha, @size, @now)",
            ("trial", Id(CompletedTrialId)), ("bytes", Checkpoint), ("sha", Convert.ToHexStringLower(SHA256.HashData(Checkpoint))), ("size", (long)Checkpoint.Length), ("now", now));
    }

    /// <summary>Records <paramref name="migrationId"/> as applied, as a newer version's migration would be.</summary>
    public static Task RecordMigrationAsync(SweepDbContext context, string migrationId) =>
        ExecuteAsync(context, "INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES (@id, '99.0.0')", ("id", migrationId));

    private object Id(Guid id) => provider == StorageProvider.Sqlite ? id.ToString().ToUpperInvariant() : id;

    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Constant texts of this class; every value is a parameter.")]
    private static async Task ExecuteAsync(SweepDbContext context, string text, params (string Name, object Value)[] parameters)
    {
        var connection = context.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await connection.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }
        await command.ExecuteNonQueryAsync();
    }
}
