using System.Diagnostics;
using System.Globalization;
using SweepRunner.Storage.Records;

namespace SweepRunner.Bench;

/// <summary>
/// Scheduling overhead: grid sweeps of one-epoch trials trained by <see cref="NoOpTrialTrainer"/>, each in a fresh
/// host and database; trials per second from submission to completion, and each slot's gap between trials.
/// </summary>
internal sealed class OverheadBench(BenchOptions options)
{
    /// <param name="FirstTrialSeconds">Submission → the first trial's first trainer call: parsing, expanding and storing the grid, the first lease.</param>
    private sealed record RunResult(
        double TrialsPerSecond, double FirstTrialSeconds, double GapMean, double GapP50, double GapP90, double GapP99, double GapMax, double WithinTrialP50);

    public async Task RunAsync()
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"### Scheduling overhead: {options.Trials:N0} one-epoch trials, no-op trainer, {options.Slots} slots, SQLite"));
        Console.WriteLine();
        Console.WriteLine("| run | trials/s | to first trial s | gap mean ms | gap p50 ms | gap p90 ms | gap p99 ms | gap max ms | in a trial, outside the trainer, p50 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
        var results = new List<RunResult>();
        for (int run = 1; run <= options.Runs; run++)
        {
            var result = await MeasureAsync();
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {run} | {result.TrialsPerSecond:F1} | {result.FirstTrialSeconds:F2} | {result.GapMean:F1} | {result.GapP50:F1} | {result.GapP90:F1} | {result.GapP99:F1} | {result.GapMax:F1} | {result.WithinTrialP50:F1} |"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| median (range) | {Summary(results, r => r.TrialsPerSecond)} | {Summary(results, r => r.FirstTrialSeconds, "F2")} | {Summary(results, r => r.GapMean)} | {Summary(results, r => r.GapP50)} | {Summary(results, r => r.GapP90)} | {Summary(results, r => r.GapP99)} | {Summary(results, r => r.GapMax)} | {Summary(results, r => r.WithinTrialP50)} |"));
        Console.WriteLine();
    }

    private async Task<RunResult> MeasureAsync()
    {
        var log = new TrainerCallLog();
        var sweep = await EmbeddedSweep.RunAsync(Spec(options.Trials), options.Slots, new TimedTrialTrainer(new NoOpTrialTrainer(), log));
        Check(sweep, log);

        var gaps = log.GapsBetweenTrials().Select(gap => gap.TotalMilliseconds).ToList();
        // Between a trial's first and last trainer call: storing the epoch's metrics and checkpoint, reporting the epoch.
        var withinTrial = log.Timelines.Select(t => (t.Span - t.InsideTrainer).TotalMilliseconds).ToList();
        long firstTrial = log.Timelines.Min(t => t.FirstCallStart);
        return new RunResult(
            options.Trials / sweep.Wall.TotalSeconds,
            Stopwatch.GetElapsedTime(sweep.SubmittedAt, firstTrial).TotalSeconds,
            gaps.Average(),
            Percentiles.Median(gaps), Percentiles.Of(gaps, 90), Percentiles.Of(gaps, 99), gaps.Max(),
            Percentiles.Median(withinTrial));
    }

    /// <summary>Every trial completed, and was trained exactly once.</summary>
    private void Check(FinishedSweep sweep, TrainerCallLog log)
    {
        int completed = sweep.Trials.Count(trial => trial.Status == TrialStatus.Completed);
        int trainedOnce = log.Timelines.GroupBy(t => t.Seed).Count(seed => seed.Count() == 1);
        if (completed != options.Trials || trainedOnce != options.Trials || log.Timelines.Count != options.Trials)
            throw new InvalidOperationException($"{completed} of {options.Trials} trials completed, {log.Timelines.Count} trainings for {trainedOnce} trials trained once");
    }

    /// <summary>A grid over the seed alone: one trial per value, the trainer's defaults otherwise.</summary>
    private static string Spec(int trials) =>
        $"""
        name: scheduling-overhead
        method: grid
        metric:
          name: test.total
          goal: minimize
        epochs: 1
        parameters:
          seed:
            values: [{string.Join(", ", Enumerable.Range(0, trials))}]
        """;

    private static string Summary(List<RunResult> results, Func<RunResult, double> measure, string format = "F1")
    {
        var values = results.Select(measure).ToList();
        string Text(double value) => value.ToString(format, CultureInfo.InvariantCulture);
        return $"{Text(Percentiles.Median(values))} ({Text(values.Min())}–{Text(values.Max())})";
    }
}
