using System.Diagnostics;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Worker.Training;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Bench;

/// <summary>Wraps the trainer the slots use and times every call they make into a <see cref="TrainerCallLog"/>.</summary>
internal sealed class TimedTrialTrainer(ITrialTrainer inner, TrainerCallLog log) : ITrialTrainer
{
    public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(trial);
        long start = Stopwatch.GetTimestamp();
        var training = inner.Open(trial, checkpoint);
        var timeline = log.Open(trial.Training.Seed, start);
        timeline.Record(TrainerCall.Open, start, Stopwatch.GetTimestamp());
        return new TimedTraining(training, timeline);
    }

    private sealed class TimedTraining(ITrialTraining inner, TrialTimeline timeline) : ITrialTraining
    {
        public int CompletedEpochs => inner.CompletedEpochs;

        public int TotalEpochs => inner.TotalEpochs;

        public EpochReport TrainEpoch(CancellationToken cancellationToken) => Timed(TrainerCall.TrainEpoch, () => inner.TrainEpoch(cancellationToken));

        public byte[] CreateCheckpoint()
        {
            var checkpoint = Timed(TrainerCall.CreateCheckpoint, inner.CreateCheckpoint);
            timeline.CheckpointBytes = checkpoint.Length;
            return checkpoint;
        }

        public LatentAnalysis Analyze() => Timed(TrainerCall.Analyze, inner.Analyze);

        public SplitLosses EvaluateTest() => Timed(TrainerCall.EvaluateTest, inner.EvaluateTest);

        public IReadOnlyList<FigureFile> RenderFigures() => Timed(TrainerCall.RenderFigures, inner.RenderFigures);

        public void Dispose() => Timed(TrainerCall.Dispose, () =>
        {
            inner.Dispose();
            return 0;
        });

        private T Timed<T>(TrainerCall call, Func<T> action)
        {
            long start = Stopwatch.GetTimestamp();
            var result = action();
            timeline.Record(call, start, Stopwatch.GetTimestamp());
            return result;
        }
    }
}
