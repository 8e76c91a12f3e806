using Microsoft.Extensions.DependencyInjection;
using SweepRunner.Common;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Models.Training;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Slots;

/// <summary>
/// A slot reports a failure in training with its class: an exception puts the trial back in the queue (the same slot
/// takes it again) until it has failed the default 3 attempts, then it fails as an error; a divergence fails it at once.
/// </summary>
public sealed class TrainingFailureTests
{
    // β = 1 throws an exception on every attempt, β = 2 diverges.
    private const string TwoTrials = "name: failing\nmethod: grid\nparameters:\n  beta:\n    values: [1, 2]\n";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task An_error_is_retried_until_max_attempts_and_a_divergence_fails_the_trial_at_once()
    {
        var trainer = new FailingTrainer();
        var folder = Directory.CreateTempSubdirectory("sweeprunner-failures-").FullName;
        try
        {
            using var host = EmbeddedSweepHost.Build(Path.Combine(folder, "store.db"), trainer);
            await host.StartAsync();
            var sweep = await host.Services.GetRequiredService<SweepSubmissions>().SubmitAsync(TwoTrials, "failing.yaml");
            var trials = host.Services.GetRequiredService<TrialStore>();
            var listed = (await trials.ListAsync(new TrialQuery(sweep.SweepId))).Trials;
            var error = await TrialEnd.WaitAsync(trials, listed[0].Id, Timeout);
            var diverged = await TrialEnd.WaitAsync(trials, listed[1].Id, Timeout);
            var errorLog = await host.Services.GetRequiredService<TrialLogStore>().ListAsync(error.Id);
            await host.StopAsync();

            Assert.Equal((TrialStatus.Failed, FailureClass.Error, "IOException: disk full", 3, 3),
                (error.Status, error.FailureClass, error.FailureReason, error.Attempt, error.ModelFailures));
            Assert.Equal((TrialStatus.Failed, FailureClass.Diverged, "diverged: loss is NaN at epoch 1, batch 3", 1, 1),
                (diverged.Status, diverged.FailureClass, diverged.FailureReason, diverged.Attempt, diverged.ModelFailures));
            Assert.Equal([(1.0, 3), (2.0, 1)], trainer.Opened);
            // The log keeps each attempt's whole exception, where the reason has its first line only.
            var errors = errorLog.Where(l => l.Level == TrialLogLevel.Error && l.Source != "coordinator").ToList();
            Assert.Equal([1, 2, 3], errors.Select(l => l.Attempt));
            Assert.All(errors, l => Assert.Matches(@"^System\.IO\.IOException: disk full\n\s+at ", l.Message));
            Assert.Equal([1, 1, 1, 2, 2, 2, 3, 3, 3], errorLog.Select(l => l.Attempt));
            Assert.EndsWith("the trial failed (no attempts left)", errorLog[^1].Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Fails every run it opens, as its trial's β says; counts the runs opened per β.</summary>
    private sealed class FailingTrainer : ITrialTrainer
    {
        private readonly SortedDictionary<double, int> opened = [];

        public IReadOnlyList<(double Beta, int Runs)> Opened
        {
            get { lock (opened) return [.. opened.Select(pair => (pair.Key, pair.Value))]; }
        }

        public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint)
        {
            double beta = trial.Training.Beta;
            lock (opened) opened[beta] = opened.GetValueOrDefault(beta) + 1;
            throw beta == 1 ? new IOException("disk full") : new TrainingDivergedException(1, 3, double.NaN);
        }
    }
}
