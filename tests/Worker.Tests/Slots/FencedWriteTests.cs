using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepRunner.Contracts.Training;
using SweepRunner.Coordinator;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Storage;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;
using SweepRunner.TestSupport;
using SweepRunner.Worker.Slots;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Slots;

/// <summary>
/// While a slot trains its first trial, the trial's lease moves on (as when another attempt has it after an expiry):
/// the store refuses the slot's epoch, and the slot abandons the trial with one warning line and trains the next. A
/// host composed as <c>sweep run</c> composes it (coordinator and one slot on a SQLite store), with a trainer that
/// returns at once.
/// </summary>
public sealed class FencedWriteTests
{
    private const string TwoTrials = "name: fenced\nmethod: grid\nepochs: 1\nparameters:\n  beta:\n    values: [1, 2]\n";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_slot_whose_lease_moved_on_abandons_the_trial_with_one_warning_stores_nothing_and_trains_the_next()
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-fenced-").FullName;
        var logs = new RecordingLoggerProvider();
        try
        {
            var trainer = new LeaseMovingTrainer();
            using var host = BuildEmbedded(Path.Combine(folder, "store.db"), trainer, logs);
            trainer.Contexts = host.Services.GetRequiredService<IDbContextFactory<SweepDbContext>>();
            await host.StartAsync();
            var services = host.Services;
            var sweep = await services.GetRequiredService<SweepSubmissions>().SubmitAsync(TwoTrials, "fenced.yaml");
            var trials = services.GetRequiredService<TrialStore>();
            var listed = (await trials.ListAsync(new TrialQuery(sweep.SweepId))).Trials;

            var second = await TrialEnd.WaitAsync(trials, listed[1].Id, Timeout);
            await host.StopAsync();

            var first = (await trials.GetAsync(listed[0].Id))!;
            Assert.Equal((TrialStatus.Running, 0, (Guid?)trainer.MovedTo), (first.Status, first.CurrentEpoch, first.LeaseId));
            Assert.Empty(await services.GetRequiredService<EpochMetricStore>().ListAsync(first.Id));
            Assert.Null(await services.GetRequiredService<CheckpointStore>().GetAsync(first.Id));
            Assert.Equal((TrialStatus.Completed, 1), (second.Status, second.CurrentEpoch));
            var slotLines = logs.Lines.Where(line => line.Category == typeof(TrainingSlot).FullName && line.Level >= LogLevel.Warning).ToList();
            var warning = Assert.Single(slotLines);
            Assert.Equal(
                $"slot-test/slot-1: abandoned trial 1 of sweep {sweep.SweepId}: its lease moved on (expired, or the sweep was cancelled or deleted) and the store refuses its writes",
                warning.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Coordinator and one worker slot in one host; leases long enough that no heartbeat comes into the test.</summary>
    private static IHost BuildEmbedded(string database, ITrialTrainer trainer, ILoggerProvider logs)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = database,
            [CoordinatorHostingExtensions.SiloPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            [CoordinatorHostingExtensions.GatewayPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            ["Coordinator:LeaseDuration"] = "00:10:00",
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Name)}"] = "slot-test",
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Threads)}"] = "1",
        });
        builder.Logging.AddProvider(logs);
        // Registered before AddWorker, which then keeps it instead of the VAE trainer.
        builder.Services.AddSingleton(trainer);
        builder.AddCoordinator();
        builder.AddWorker();
        return builder.Build();
    }

    /// <summary>
    /// Returns fixed losses at once; during the first epoch it trains, it gives the running trial a lease of its own
    /// (<see cref="MovedTo"/>), as an expiry and a new attempt would.
    /// </summary>
    private sealed class LeaseMovingTrainer : ITrialTrainer
    {
        private static readonly SplitLosses Losses = new(Total: 170, Recon: 165, Kl: 5);

        private int epochsTrained;

        public IDbContextFactory<SweepDbContext>? Contexts { get; set; }

        public Guid MovedTo { get; } = Guid.NewGuid();

        public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint) => new Run(this, trial.Training.Epochs);

        private void OnEpoch()
        {
            if (Interlocked.Increment(ref epochsTrained) != 1) return;
            using var db = Contexts!.CreateDbContext();
            db.Trials.Where(t => t.Status == TrialStatus.Running).ExecuteUpdate(s => s.SetProperty(t => t.LeaseId, MovedTo));
        }

        private sealed class Run(LeaseMovingTrainer trainer, int totalEpochs) : ITrialTraining
        {
            public int CompletedEpochs { get; private set; }

            public int TotalEpochs => totalEpochs;

            public EpochReport TrainEpoch(CancellationToken cancellationToken)
            {
                trainer.OnEpoch();
                return new(++CompletedEpochs, Losses, Losses, Seconds: 0, SamplesPerSecond: 0);
            }

            public byte[] CreateCheckpoint() => BitConverter.GetBytes(CompletedEpochs);

            public LatentAnalysis Analyze() => new([2.5, 2.5], [1, 1], ActiveUnits: 2, IwaeNll: 165, IwaeSamples: 0, IwaeExamples: 0);

            public SplitLosses EvaluateTest() => Losses;

            public IReadOnlyList<FigureFile> RenderFigures() => [];

            public void Dispose()
            {
            }
        }
    }
}
