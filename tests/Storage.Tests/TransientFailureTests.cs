using SweepRunner.Common;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Schema;
using SweepRunner.Storage.Sweeps;
using SweepRunner.TestSupport;

namespace SweepRunner.Storage.Tests;

/// <summary>
/// PostgreSQL restarting under a store: its operations wait for it (the execution strategy) instead of failing.
/// A server of its own, since it is stopped.
/// </summary>
public sealed class TransientFailureTests
{
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task An_epoch_report_issued_while_postgres_is_stopped_is_stored_once_it_is_started_again()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connection = StorageConnection.Parse(await postgres.CreateDatabaseAsync(), Environment.CurrentDirectory);
        var contexts = new SweepDbContextFactory(connection);
        await new SchemaMigrator(contexts).MigrateAsync(new SchemaOptions());
        var clock = new ManualClock();
        await new SweepStore(contexts, clock).CreateAsync(Samples.Sweep(), Samples.Trials(1));
        var trial = (await new TrialLeases(contexts, clock).LeaseNextAsync("worker-1", TimeSpan.FromMinutes(1)))!;
        var metrics = new EpochMetricStore(contexts, clock);

        await postgres.StopAsync();
        var restart = Task.Run(async () =>
        {
            await Task.Delay(Downtime);
            await postgres.RestartAsync();
        });
        // The report's transaction runs into the stopped server (pooled connections broken, then refused) and is replayed.
        await metrics.AppendAsync(trial.Id, trial.LeaseId!.Value, 1, [new SplitMetrics(MetricSplit.Train, 165.2, 4.8, 170.0, 30.0, 2000.0)]);
        await restart;

        var stored = Assert.Single(await metrics.ListAsync(trial.Id));
        Assert.Equal((1, MetricSplit.Train, 170.0), (stored.Epoch, stored.Split, stored.Total));
    }
}
