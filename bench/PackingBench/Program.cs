using System.Diagnostics;
using System.Globalization;
using SweepRunner.Contracts.Training;
using SweepRunner.Models.Data;
using SweepRunner.Models.Packing;
using SweepRunner.Models.Training;
using SweepRunner.Models;
using static TorchSharp.torch;

// Trial packing against trials one by one (docs/benchmarks.md): a 4-trial MLP β grid (β = 0.5, 1, 2, 4, seed 0) trained
// packed (PackedVaeTrainer) and as 4 VaeTrainer runs in turn, the two alternating which goes first, --repeat times, and
// a Markdown table of the wall times (trainers' set-up, training and test passes included), their ratio and the largest
// relative difference between a packed trial's epoch losses and its run alone.
// Both sides run in this one process: what is compared is training, not start-up, and one process shares the loaded
// MNIST, the JIT and the allocator's warm-up alike between them (a short untimed round of each comes first).
// The packed side trains in as many lanes as it has threads (PackedVaeTrainer): with --profile, each side's time by
// phase (EpochProfiler) goes to stderr after each round, the packed side's being its first lane's.
// Usage: packing-bench [--train-limit N] [--epochs E] [--threads T] [--repeat R] [--profile]
// As the product runs libtorch: with its OpenMP wait settings (a short spin, then sleep) unless the environment sets them.
TorchEnvironment.ApplyDefaults();
int? trainLimit = Option("--train-limit") is { } limit ? int.Parse(limit, CultureInfo.InvariantCulture) : null;
int epochs = Integer("--epochs", 1);
int threads = Integer("--threads", 2);
int repeat = Integer("--repeat", 3);
bool profile = args.Contains("--profile");
set_num_threads(threads);

var dataset = MnistDataset.Load(MnistDataset.FindBundled());
double[] betas = [0.5, 1, 2, 4];
var configs = betas.Select(beta => new TrainingConfig { Beta = beta, Epochs = epochs, TrainLimit = trainLimit }).ToList();

// Warm-up: both code paths once on a few batches, untimed.
var warmUp = configs.Select(c => c with { Epochs = 1, TrainLimit = 512 }).ToList();
TrainPacked(warmUp);
TrainOneByOne(warmUp);

int lanes = 0;
var rounds = new List<Round>();
for (int i = 0; i < repeat; i++)
{
    bool packedFirst = i % 2 == 0;
    (double Seconds, IReadOnlyList<IReadOnlyList<EpochReport>> Reports) packed, alone;
    if (packedFirst)
    {
        packed = TrainPacked(configs);
        alone = TrainOneByOne(configs);
    }
    else
    {
        alone = TrainOneByOne(configs);
        packed = TrainPacked(configs);
    }
    var round = new Round(packed.Seconds, alone.Seconds, MaxRelativeDifference(packed.Reports, alone.Reports));
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"round {i + 1} ({(packedFirst ? "packed first" : "one by one first")}): packed {round.PackedSeconds:F2} s, one by one {round.OneByOneSeconds:F2} s, ratio {round.Ratio:F3}, max relative loss difference {round.MaxRelativeDifference:E2}"));
    rounds.Add(round);
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"4-trial MLP β grid (β = {string.Join(", ", betas)}), {(trainLimit is { } n ? $"{n:N0}" : "60,000")} training images, {epochs} epoch(s), {threads} thread(s), packed in {lanes} lane(s), {repeat} round(s)"));
Console.WriteLine();
Console.WriteLine("| round | packed s | one by one s | ratio | max relative loss difference |");
Console.WriteLine("|---|---|---|---|---|");
for (int i = 0; i < rounds.Count; i++)
{
    var r = rounds[i];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {i + 1} | {r.PackedSeconds:F2} | {r.OneByOneSeconds:F2} | {r.Ratio:F3} | {r.MaxRelativeDifference:E2} |"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"| median | {Median(rounds, r => r.PackedSeconds):F2} | {Median(rounds, r => r.OneByOneSeconds):F2} | {Median(rounds, r => r.Ratio):F3} | {rounds.Max(r => r.MaxRelativeDifference):E2} (max) |"));
return 0;

(double Seconds, IReadOnlyList<IReadOnlyList<EpochReport>> Reports) TrainPacked(IReadOnlyList<TrainingConfig> configs)
{
    CollectGarbage();
    var stopwatch = Stopwatch.StartNew();
    var options = Options();
    using var trainer = PackedVaeTrainer.Start(configs, dataset, options);
    lanes = trainer.LaneCount;
    trainer.Train();
    var reports = trainer.Histories;
    double seconds = stopwatch.Elapsed.TotalSeconds;
    Report("packed", options);
    return (seconds, reports);
}

(double Seconds, IReadOnlyList<IReadOnlyList<EpochReport>> Reports) TrainOneByOne(IReadOnlyList<TrainingConfig> configs)
{
    CollectGarbage();
    var stopwatch = Stopwatch.StartNew();
    var options = Options();
    var reports = new List<IReadOnlyList<EpochReport>>();
    foreach (var config in configs)
    {
        using var trainer = VaeTrainer.Start(config, dataset, options);
        reports.Add([.. trainer.Train()]);
    }
    double seconds = stopwatch.Elapsed.TotalSeconds;
    Report("one by one", options);
    return (seconds, reports);
}

TrainerOptions Options() => new() { Profiler = profile ? new EpochProfiler() : null };

static void Report(string side, TrainerOptions options)
{
    if (options.Profiler is not { } profiler) return;
    Console.Error.WriteLine($"{side}: " + string.Join(", ", profiler.TotalSeconds.Select(phase => string.Create(CultureInfo.InvariantCulture, $"{phase.Key} {phase.Value:F2} s"))));
}

// Neither side pays for the other's garbage: TorchSharp frees native memory as finalizers run.
static void CollectGarbage()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
}

static double MaxRelativeDifference(IReadOnlyList<IReadOnlyList<EpochReport>> packed, IReadOnlyList<IReadOnlyList<EpochReport>> alone) =>
    packed.Zip(alone)
        .SelectMany(trial => trial.First.Zip(trial.Second))
        .SelectMany(epoch => new[] { (epoch.First.Train, epoch.Second.Train), (epoch.First.Test, epoch.Second.Test) })
        .SelectMany(split => new[] { (split.Item1.Recon, split.Item2.Recon), (split.Item1.Kl, split.Item2.Kl), (split.Item1.Total, split.Item2.Total) })
        .Max(pair => Math.Abs(pair.Item1 - pair.Item2) / Math.Abs(pair.Item2));

static double Median(List<Round> rounds, Func<Round, double> value)
{
    var sorted = rounds.Select(value).Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

string? Option(string name)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

int Integer(string name, int fallback) => Option(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

internal sealed record Round(double PackedSeconds, double OneByOneSeconds, double MaxRelativeDifference)
{
    public double Ratio => PackedSeconds / OneByOneSeconds;
}
