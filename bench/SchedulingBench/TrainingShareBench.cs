using System.Globalization;
using Microsoft.Extensions.Options;
using SweepRunner.Storage.Records;
using SweepRunner.Worker;
using SweepRunner.Worker.Training;

namespace SweepRunner.Bench;

/// <summary>
/// The share of a real trial's wall time spent outside training: a grid of one-epoch VAE MLP trials (seeds 0…N−1)
/// trained by the product's <see cref="VaeTrialTrainer"/>. A trial's wall time is lease → end as the store records
/// them (<see cref="TrialRecord.StartedAt"/>, <see cref="TrialRecord.FinishedAt"/>, both set inside the lease's and
/// the end's transactions); its training time is the time inside the trainer's calls; the rest is the slot's own
/// work around them (config parsing, checkpoint look-up, storing each epoch's metrics and checkpoint, grain calls).
/// </summary>
internal sealed class TrainingShareBench(BenchOptions options)
{
    public async Task RunAsync()
    {
        string images = options.TrainLimit is { } limit ? string.Create(CultureInfo.InvariantCulture, $"{limit:N0}") : "60,000";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"### Share of a real trial outside training: {options.RealTrials} trials, VAE MLP, 1 epoch on {images} images, {options.Slots} slots, SQLite"));
        Console.WriteLine();
        var log = new TrainerCallLog();
        var sweep = await EmbeddedSweep.RunAsync(Spec(), options.Slots, new TimedTrialTrainer(new VaeTrialTrainer(Options.Create(new WorkerOptions())), log));
        var failed = sweep.Trials.Where(trial => trial.Status != TrialStatus.Completed).ToList();
        if (failed.Count > 0 || log.Timelines.Count != sweep.Trials.Count)
            throw new InvalidOperationException($"{failed.Count} trials did not complete ({string.Join("; ", failed.Select(t => t.FailureReason))}); {log.Timelines.Count} trainings for {sweep.Trials.Count} trials");

        var slotNumbers = log.Timelines.OrderBy(t => t.FirstCallStart).Select(t => t.SlotThread).Distinct()
            .Select((thread, index) => (thread, index)).ToDictionary(pair => pair.thread, pair => pair.index + 1);
        var timelines = log.Timelines.ToDictionary(t => t.Seed);
        Console.WriteLine("| trial | slot | lease → end s | open s | train epoch s | checkpoint s | evaluate + analyze s | figures s | outside the trainer ms | of which between trainer calls ms | outside share |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        var (wallTotal, outsideTotal) = (TimeSpan.Zero, TimeSpan.Zero);
        foreach (var trial in sweep.Trials)
        {
            var timeline = timelines[TrialTrainingConfig.FromJson(trial.ConfigJson).Training.Seed];
            var wall = trial.FinishedAt!.Value - trial.StartedAt!.Value;
            var outside = wall - timeline.InsideTrainer;
            (wallTotal, outsideTotal) = (wallTotal + wall, outsideTotal + outside);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {trial.Number} | {slotNumbers[timeline.SlotThread]} | {wall.TotalSeconds:F2} | {Seconds(timeline, TrainerCall.Open)} | {Seconds(timeline, TrainerCall.TrainEpoch)} | {Seconds(timeline, TrainerCall.CreateCheckpoint)} | {Seconds(timeline, TrainerCall.EvaluateTest, TrainerCall.Analyze)} | {Seconds(timeline, TrainerCall.RenderFigures)} | {outside.TotalMilliseconds:F1} | {(timeline.Span - timeline.InsideTrainer).TotalMilliseconds:F1} | {outside / wall:P2} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| all | | {wallTotal.TotalSeconds:F2} | | | | | | {outsideTotal.TotalMilliseconds:F1} | | **{outsideTotal / wallTotal:P2}** |"));
        Console.WriteLine();
        var gaps = log.GapsBetweenTrials().Select(gap => gap.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture)).ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Checkpoint stored after each epoch: {log.Timelines.Max(t => t.CheckpointBytes) / 1048576.0:F1} MiB. Sweep wall time {sweep.Wall.TotalSeconds:F1} s; each slot's gap between trials (last trainer call → next trial's first): {(gaps.Count == 0 ? "none (one trial per slot)" : string.Join(", ", gaps) + " ms")}."));
        Console.WriteLine();
    }

    private string Spec()
    {
        string trainLimit = options.TrainLimit is { } limit ? string.Create(CultureInfo.InvariantCulture, $"train_limit: {limit}\n") : "";
        return $"""
            name: scheduling-training-share
            method: grid
            metric:
              name: test.total
              goal: minimize
            epochs: 1
            {trainLimit}parameters:
              model:
                value: mlp
              seed:
                values: [{string.Join(", ", Enumerable.Range(0, options.RealTrials))}]
            """;
    }

    private static string Seconds(TrialTimeline timeline, params TrainerCall[] calls) =>
        TimeSpan.FromTicks(calls.Sum(call => timeline.Inside(call).Ticks)).TotalSeconds.ToString("F2", CultureInfo.InvariantCulture);
}
