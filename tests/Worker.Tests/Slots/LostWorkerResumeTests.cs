using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Coordinator;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Plotting;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Slots;

/// <summary>
/// A worker dies after epoch 1 of a 2-epoch trial: its lease expires, and a worker that joins later (an Orleans client
/// of a real coordinator silo on a real SQLite store) trains only epoch 2, from the stored checkpoint, on attempt 2.
/// </summary>
public sealed class LostWorkerResumeTests
{
    private const string TwoEpochs = "name: resume\nmethod: grid\nepochs: 2\ntrain_limit: 500\nparameters:\n  model:\n    value: mlp\n";

    // A bound on waiting, not a measurement: each epoch also evaluates the 10,000 test images, slow on a busy 2-core machine.
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task The_next_attempt_after_an_expired_lease_resumes_from_the_last_checkpoint_and_trains_only_the_rest()
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-resume-").FullName;
        string database = Path.Combine(folder, "store.db");
        int gatewayPort = FreePort.Pick();
        try
        {
            using (var coordinator = BuildCoordinator(database, gatewayPort))
            {
                await coordinator.StartAsync();
                var services = coordinator.Services;
                var snapshot = await services.GetRequiredService<SweepSubmissions>().SubmitAsync(TwoEpochs, "resume.yaml");
                var grains = services.GetRequiredService<IGrainFactory>();
                var scheduler = grains.GetGrain<ITrialSchedulerGrain>(ITrialSchedulerGrain.Key);

                var first = await scheduler.LeaseAsync("lost-worker");
                Assert.NotNull(first);
                await TrainFirstEpochAndDieAsync(services, grains.GetGrain<ISweepGrain>(snapshot.SweepId), first);
                var epochOne = await services.GetRequiredService<EpochMetricStore>().ListAsync(first.TrialId);

                await Task.Delay(TimeSpan.FromSeconds(1.2));
                Assert.Equal(1, await scheduler.ExpireLeasesAsync());

                TrialRecord trial;
                var recorder = new OpenRecordingTrainer(new VaeTrialTrainer(Options.Create(new WorkerOptions())));
                using (var worker = BuildWorker(database, gatewayPort, recorder))
                {
                    await worker.StartAsync();
                    trial = await TrialEnd.WaitAsync(services.GetRequiredService<TrialStore>(), first.TrialId, Timeout);
                    await worker.StopAsync();

                    Assert.Equal((TrialStatus.Completed, 2, 2), (trial.Status, trial.Attempt, trial.CurrentEpoch));
                }
                Assert.Equal([1], recorder.StartedAtEpochs);
                var epochs = await services.GetRequiredService<EpochMetricStore>().ListAsync(first.TrialId);
                Assert.Equal(Rows(epochOne), Rows(epochs.Where(row => row.Epoch == 1)));
                Assert.Equal([1, 1, 2, 2], epochs.Select(row => row.Epoch).Order());
                Assert.Equal(2, (await services.GetRequiredService<CheckpointStore>().GetAsync(first.TrialId))!.Epoch);
                AssertLatentsOfEveryTestRow(epochs, trial);
                await coordinator.StopAsync();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>What a worker slot does for epoch 1 (metrics, checkpoint, report), before it is killed without a word.</summary>
    private static async Task TrainFirstEpochAndDieAsync(IServiceProvider services, ISweepGrain sweep, TrialLease lease)
    {
        using var run = new VaeTrialTrainer(Options.Create(new WorkerOptions())).Open(TrialTrainingConfig.FromJson(lease.ConfigJson), checkpoint: null);
        var report = run.TrainEpoch(CancellationToken.None);
        await services.GetRequiredService<EpochMetricStore>().AppendAsync(lease.TrialId, lease.LeaseId, report.Epoch,
        [
            new SplitMetrics(MetricSplit.Train, report.Train.Recon, report.Train.Kl, report.Train.Total, report.Seconds, report.SamplesPerSecond),
            new SplitMetrics(MetricSplit.Test, report.Test.Recon, report.Test.Kl, report.Test.Total, 0, 0, report.TestLatents?.KlPerDimension, report.TestLatents?.ActiveUnits),
        ]);
        await services.GetRequiredService<CheckpointStore>().PutAsync(lease.TrialId, lease.LeaseId, report.Epoch, run.CreateCheckpoint());
        var losses = new EpochLosses(report.Test.Total, report.Test.Recon, report.Test.Kl);
        await sweep.ReportEpochAsync(new EpochResult(lease.TrialId, lease.LeaseId, report.Epoch, losses, losses));
    }

    /// <summary>
    /// Every stored test row has the KL of both latent dimensions, summing to its KL; the last one's active units are
    /// the trial's end-of-run active units (the same model state, the same test set).
    /// </summary>
    private static void AssertLatentsOfEveryTestRow(IReadOnlyList<EpochMetricRecord> epochs, TrialRecord trial)
    {
        var tests = epochs.Where(row => row.Split == MetricSplit.Test).OrderBy(row => row.Epoch).ToList();
        Assert.All(tests, row =>
        {
            Assert.Equal(2, row.KlPerDimension?.Length);
            Assert.Equal(row.Kl, row.KlPerDimension!.Sum(), 1e-5 * row.Kl);
            Assert.InRange(row.ActiveUnits ?? -1, 0, 2);
        });
        Assert.NotNull(trial.ActiveUnits);
        Assert.Equal(trial.ActiveUnits, tests[^1].ActiveUnits);
    }

    private static IEnumerable<(int, MetricSplit, double, double, double)> Rows(IEnumerable<EpochMetricRecord> rows) =>
        rows.Select(row => (row.Epoch, row.Split, row.Recon, row.Kl, row.Total)).Order();

    /// <summary>The coordinator silo (localhost clustering) with one-second leases and no grace; only the test expires them.</summary>
    private static IHost BuildCoordinator(string database, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = database,
            [CoordinatorHostingExtensions.SiloPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            [CoordinatorHostingExtensions.GatewayPortKey] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Coordinator:LeaseDuration"] = "00:00:01",
            ["Coordinator:SweepInterval"] = "01:00:00",
            ["Coordinator:LeaseGrace"] = "00:00:00",
        });
        builder.AddCoordinator();
        return builder.Build();
    }

    /// <summary>A worker process as <c>sweep worker</c> builds it, but joining through the silo's gateway port.</summary>
    private static IHost BuildWorker(string database, int gatewayPort, ITrialTrainer trainer)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = database,
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Name)}"] = "next-worker",
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Threads)}"] = "1",
        });
        builder.UseOrleansClient(client => client.UseLocalhostClustering(gatewayPort, ClusterIdentity.DefaultServiceId, ClusterIdentity.DefaultClusterId));
        builder.Services.AddSingleton(trainer);
        builder.AddWorker();
        return builder.Build();
    }

    /// <summary>The VAE trainer, noting the epoch each run it opens starts from.</summary>
    private sealed class OpenRecordingTrainer(ITrialTrainer inner) : ITrialTrainer
    {
        private readonly List<int> startedAtEpochs = [];

        public IReadOnlyList<int> StartedAtEpochs
        {
            get { lock (startedAtEpochs) return [.. startedAtEpochs]; }
        }

        public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint)
        {
            var run = inner.Open(trial, checkpoint);
            lock (startedAtEpochs) startedAtEpochs.Add(run.CompletedEpochs);
            return run;
        }
    }
}
