using System.Globalization;
using Npgsql;
using SweepRunner.Common;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Schema;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>
/// A throw-away PostgreSQL with the store's schema (migrated as the store migrates it), a sweep of three trials stored
/// through the Storage API (trials 1 and 2 completed after 3 epochs, trial 3 running after 3), and
/// deploy/grafana/readonly-role.sql run twice by the tables' owner, the role's password then set apart, as the
/// documentation says.
/// </summary>
public sealed class ReadonlyStoreFixture : IAsyncLifetime
{
    public const string Role = "sweeprunner_grafana";
    public const int Epochs = 3;

    /// <summary>The trials' configurations: trial 1 leaves the loss to its default, trial 3 every dashboard key.</summary>
    public static readonly string[] Configs = ["""{"beta":1,"model":"mlp"}""", """{"beta":4,"loss":"mse","model":"cnn"}""", """{"seed":3}"""];

    private const string Password = "grafana-test-password";

    private PostgresServer? server;

    public Guid SweepId { get; private set; }

    /// <summary>The store's owner (the user the store migrates as).</summary>
    public string OwnerConnectionString { get; private set; } = "";

    /// <summary>The read-only role, with the password the test set.</summary>
    public string RoleConnectionString { get; private set; } = "";

    /// <summary>The losses stored for <paramref name="trial"/> (1-based) after <paramref name="epoch"/> on <paramref name="split"/>.</summary>
    public static SplitMetrics Losses(int trial, int epoch, MetricSplit split)
    {
        double recon = 180 + (10 * trial) - epoch - (split == MetricSplit.Test ? 0.5 : 0);
        double kl = 4 + trial + (0.1 * epoch);
        return split == MetricSplit.Test
            ? new SplitMetrics(split, recon, kl, recon + kl, 2, 1000, [kl - 0.005, 0.005], 1)
            : new SplitMetrics(split, recon, kl, recon + kl, 2, 1000);
    }

    public async Task InitializeAsync()
    {
        server = await PostgresServer.StartAsync();
        // No pooling: each test's connections end with it.
        OwnerConnectionString = await server.CreateDatabaseAsync() + ";Pooling=false";
        var contexts = new SweepDbContextFactory(StorageConnection.Parse(OwnerConnectionString, Environment.CurrentDirectory));
        await new SchemaMigrator(contexts).MigrateAsync(new SchemaOptions());
        await StoreSweepAsync(contexts);

        string script = await File.ReadAllTextAsync(RepositoryFiles.Find("deploy/grafana/readonly-role.sql"));
        await ExecuteAsync(OwnerConnectionString, script);
        await ExecuteAsync(OwnerConnectionString, script);
        await ExecuteAsync(OwnerConnectionString, $"ALTER ROLE {Role} PASSWORD '{Password}'");
        RoleConnectionString = new NpgsqlConnectionStringBuilder(OwnerConnectionString) { Username = Role, Password = Password }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (server is not null) await server.DisposeAsync();
    }

    /// <summary>Runs <paramref name="sql"/> (one statement or a script) on <paramref name="connectionString"/>.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs every dashboard SQL query, <paramref name="variables"/> substituted, on <paramref name="connectionString"/>: each must return rows.</summary>
    public static async Task AssertEveryDashboardQueryReturnsRowsAsync(string connectionString, IReadOnlyDictionary<string, string> variables)
    {
        var queries = DashboardQueries.LoadShipped().Sql(variables);

        Assert.NotEmpty(queries);
        foreach (var query in queries)
        {
            List<Dictionary<string, object?>> rows;
            try
            {
                rows = await QueryAsync(connectionString, query.Text);
            }
            catch (PostgresException ex)
            {
                throw new InvalidOperationException($"{query.Location}: {ex.Message}\n{query.Text}", ex);
            }
            Assert.True(rows.Count > 0, $"no rows: {query}");
        }
    }

    /// <summary>The rows of <paramref name="sql"/> on <paramref name="connectionString"/>, each as column name → value.</summary>
    public static async Task<List<Dictionary<string, object?>>> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, column => reader.IsDBNull(column) ? null : reader.GetValue(column)));
        }
        return rows;
    }

    private async Task StoreSweepAsync(SweepDbContextFactory contexts)
    {
        var clock = TimeProvider.System;
        var sweep = await new SweepStore(contexts, clock).CreateAsync(
            new NewSweep("beta sweep", "method: grid\n", "grid", "test.total", MetricGoal.Minimize, """{"format":1,"method":"grid","parameters":[]}"""),
            Configs.Select((config, index) => new NewTrial(config, (index + 1).ToString("x64", CultureInfo.InvariantCulture))));
        SweepId = sweep.Id;

        var leases = new TrialLeases(contexts, clock);
        var metrics = new EpochMetricStore(contexts, clock);
        for (int trial = 1; trial <= Configs.Length; trial++)
        {
            var leased = await leases.LeaseNextAsync("worker-1", TimeSpan.FromHours(1), SweepId)
                ?? throw new InvalidOperationException($"trial {trial} was not leased");
            for (int epoch = 1; epoch <= Epochs; epoch++)
                await metrics.AppendAsync(leased.Id, leased.LeaseId!.Value, epoch, [Losses(trial, epoch, MetricSplit.Train), Losses(trial, epoch, MetricSplit.Test)]);
            if (trial < Configs.Length)
            {
                var last = Losses(trial, Epochs, MetricSplit.Test);
                await leases.EndAsync(leased.Id, leased.LeaseId!.Value, TrialOutcome.Completed(new FinalMetrics(last.Total, last.Recon, last.Kl, last.Total + 2, 1)));
            }
        }
    }
}
