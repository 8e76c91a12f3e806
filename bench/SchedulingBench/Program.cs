using System.Globalization;
using SweepRunner.Bench;

// Measures scheduling (docs/benchmarks.md, "Scheduling") in the embedded composition of `sweep run`: the overhead per
// trial with a no-op trainer, and the share of real one-epoch MLP trials spent outside training.
// Usage: scheduling-bench [--trials N] [--slots S] [--runs R] [--real-trials N] [--train-limit N] [--only overhead|training]
var options = BenchOptions.Parse(args);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, load average {LoadAverage()}; {options}"));
Console.WriteLine();
if (options.Includes("overhead")) await new OverheadBench(options).RunAsync();
if (options.Includes("training") && options.RealTrials > 0) await new TrainingShareBench(options).RunAsync();

// The machine is shared: the load when the bench started says how quiet it was.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
