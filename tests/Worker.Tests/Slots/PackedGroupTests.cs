using Microsoft.Extensions.DependencyInjection;
using SweepRunner.Common;
using SweepRunner.Contracts.Training;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Storage.Logs;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Slots;

/// <summary>
/// A slot trains the compatible trials of a <c>packing: auto</c> sweep as one group, each under its own lease: a
/// member the sweep stops early and one that diverges leave the group, and the others train on to completion.
/// </summary>
public sealed class PackedGroupTests
{
    // Hyperband at epoch 1 with η = 2 stops β = 2, whose loss is far worse; β = 8 diverges in epoch 2.
    private const string FourBetas = """
        name: packed
        method: grid
        metric: {name: test.total, goal: minimize}
        early_terminate: {type: hyperband, min_iter: 1, s: 1, eta: 2}
        packing: auto
        epochs: 2
        parameters:
          beta:
            values: [1, 2, 4, 8]
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_member_stopped_early_or_diverged_leaves_the_group_and_the_others_complete()
    {
        var trainer = new ScriptedPackingTrainer();
        var folder = Directory.CreateTempSubdirectory("sweeprunner-packed-").FullName;
        try
        {
            using var host = EmbeddedSweepHost.Build(Path.Combine(folder, "store.db"), trainer);
            await host.StartAsync();
            var sweep = await host.Services.GetRequiredService<SweepSubmissions>().SubmitAsync(FourBetas, "packed.yaml");
            var trials = host.Services.GetRequiredService<TrialStore>();
            var listed = (await trials.ListAsync(new TrialQuery(sweep.SweepId))).Trials;
            var ended = new List<TrialRecord>();
            foreach (var trial in listed) ended.Add(await TrialEnd.WaitAsync(trials, trial.Id, Timeout));
            var epochs = await host.Services.GetRequiredService<EpochMetricStore>().ListAsync([.. listed.Select(t => t.Id)]);
            var firstLog = await host.Services.GetRequiredService<TrialLogStore>().ListAsync(listed[0].Id);
            await host.StopAsync();

            Assert.Equal([[1.0, 2.0, 4.0, 8.0]], trainer.Groups);
            Assert.Equal(0, trainer.OpenedAlone);
            Assert.Equal(
                [(TrialStatus.Completed, null), (TrialStatus.Stopped, null), (TrialStatus.Completed, null), (TrialStatus.Failed, FailureClass.Diverged)],
                ended.Select(t => (t.Status, t.FailureClass)));
            Assert.Equal("diverged: loss is NaN at epoch 2, batch 1", ended[3].FailureReason);
            // Each member's own epochs, stored under its own lease: none after it left the group.
            Assert.Equal([2, 1, 2, 1], listed.Select(t => epochs[t.Id].Select(e => e.Epoch).Distinct().Count()));
            // β = 2 left after epoch 1, β = 8 in epoch 2, the others as they completed.
            Assert.Equal([1, 3, 0, 2], trainer.Left);
            Assert.Contains(firstLog, line => line.Message.Contains("trains packed with trials 2, 3, 4", StringComparison.Ordinal));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Trains packed groups without a model: each β's test loss is fixed, and β = 8 diverges in epoch 2.</summary>
    private sealed class ScriptedPackingTrainer : ITrialTrainer
    {
        private readonly List<double[]> groups = [];
        private readonly List<int> left = [];
        private int openedAlone;

        public bool Packs => true;

        public IReadOnlyList<double[]> Groups
        {
            get { lock (groups) return [.. groups]; }
        }

        public IReadOnlyList<int> Left
        {
            get { lock (left) return [.. left]; }
        }

        public int OpenedAlone => Volatile.Read(ref openedAlone);

        public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint)
        {
            Interlocked.Increment(ref openedAlone);
            throw new InvalidOperationException("the group trains packed");
        }

        public IPackedTrialTraining OpenPacked(IReadOnlyList<TrialTrainingConfig> trials)
        {
            double[] betas = [.. trials.Select(trial => trial.Training.Beta)];
            lock (groups) groups.Add(betas);
            return new Group(betas, trials[0].Training.Epochs, member =>
            {
                lock (left) left.Add(member);
            });
        }

        private sealed class Group(double[] betas, int totalEpochs, Action<int> onLeave) : IPackedTrialTraining
        {
            private readonly TrainingDivergedException?[] divergences = new TrainingDivergedException?[betas.Length];

            public int CompletedEpochs { get; private set; }

            public int TotalEpochs => totalEpochs;

            public IReadOnlyList<ITrialModel> Members { get; } = [.. betas.Select(beta => new Member(beta))];

            public IReadOnlyList<EpochReport?> TrainEpoch(CancellationToken cancellationToken)
            {
                int epoch = ++CompletedEpochs;
                return [.. betas.Select((beta, member) =>
                {
                    if (beta == 8 && epoch == 2) divergences[member] = new TrainingDivergedException(epoch, 1, double.NaN);
                    var losses = Member.Losses(beta);
                    return divergences[member] is null ? new EpochReport(epoch, losses, losses, Seconds: 0, SamplesPerSecond: 0) : null;
                })];
            }

            public TrainingDivergedException? DivergenceOf(int member) => divergences[member];

            public void Leave(int member) => onLeave(member);

            public void Dispose()
            {
            }
        }

        private sealed class Member(double beta) : ITrialModel
        {
            public static SplitLosses Losses(double beta) => beta == 2 ? new(100, 95, 5) : new(50, 45, 5);

            public byte[] CreateCheckpoint() => BitConverter.GetBytes(beta);

            public LatentAnalysis Analyze() => new([2.5, 2.5], [1, 1], ActiveUnits: 2, IwaeNll: 45, IwaeSamples: 0, IwaeExamples: 0);

            public SplitLosses EvaluateTest() => Losses(beta);

            public IReadOnlyList<FigureFile> RenderFigures() => [];
        }
    }
}
