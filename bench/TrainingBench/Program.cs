using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

// Runs `sweep train --json` on full MNIST for each case, several times, each in a fresh process (so peak RSS
// is the run's own), and prints a Markdown table of medians for docs/benchmarks.md.
// Usage: training-bench SWEEP_DLL [--repeat N] [--threads T] [--only NAME,...] [--out DIR]
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: training-bench SWEEP_DLL [--repeat N] [--threads T] [--only NAME,...] [--out DIR]");
    return 2;
}

string sweepDll = args[0];
int repeat = int.Parse(Option("--repeat") ?? "3", CultureInfo.InvariantCulture);
string threads = Option("--threads") ?? "2";
string outRoot = Option("--out") ?? Path.Combine(Path.GetTempPath(), "sweeprunner-bench");
var only = Option("--only")?.Split(',').ToHashSet(StringComparer.Ordinal);

BenchCase[] cases =
[
    new("mlp-1", "MLP, BCE, β=1, 1 epoch", ["--model", "mlp", "--epochs", "1"]),
    new("mlp-5", "MLP, BCE, β=1, 5 epochs", ["--model", "mlp", "--epochs", "5"]),
    new("mlp-1-no-gc", "MLP, 1 epoch, no forced GC", ["--model", "mlp", "--epochs", "1", "--gc-every", "0"]),
    new("cnn-1", "CNN, BCE, β=1, 1 epoch", ["--model", "cnn", "--epochs", "1"]),
    new("cvae-1", "CVAE, BCE, β=1, 1 epoch", ["--model", "cvae", "--epochs", "1"]),
    // Three test passes of 10,000 images after short epochs: where the CNN's peak RSS used to jump, now and then, by
    // one decoder activation per test batch (docs/benchmarks.md, "2026-12-04, night: the CNN's peak RSS"). Its runs'
    // spread is the figure.
    new("cnn-test-passes", "CNN, 3 epochs on 6,000 images", ["--model", "cnn", "--epochs", "3", "--train-limit", "6000", "--iwae-examples", "100"]),
];

Console.WriteLine($"| case | runs | test total | test recon | test KL | epoch s (median) | samples/s | peak RSS MiB | IWAE NLL |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|");
foreach (var benchCase in cases.Where(c => only is null || only.Contains(c.Name)))
{
    var runs = Enumerable.Range(0, repeat).Select(i => Run(benchCase, i)).ToList();
    var last = runs[^1];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {benchCase.Title} | {runs.Count} | {Median(runs, r => r.TestTotal):F2} | {last.TestRecon:F2} | {last.TestKl:F2} | " +
        $"{Median(runs, r => r.EpochSeconds):F2} ({runs.Min(r => r.EpochSeconds):F2}–{runs.Max(r => r.EpochSeconds):F2}) | " +
        $"{Median(runs, r => r.SamplesPerSecond):F0} | {Median(runs, r => r.PeakRssMiB):F0} ({runs.Min(r => r.PeakRssMiB):F0}–{runs.Max(r => r.PeakRssMiB):F0}) | {last.IwaeNll:F2} |"));
}
return 0;

RunResult Run(BenchCase benchCase, int index)
{
    string outDir = Path.Combine(outRoot, $"{benchCase.Name}-{index}");
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in new[] { sweepDll, "train", "--json", "--seed", "0", "--threads", threads, "--out", outDir }.Concat(benchCase.Arguments))
        start.ArgumentList.Add(arg);
    using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start dotnet");
    var stderr = process.StandardError.ReadToEndAsync();
    string stdout = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{benchCase.Name} exited {process.ExitCode}: {stderr.Result}");

    var result = JsonNode.Parse(stdout)!;
    var epochs = result["epochs"]!.AsArray();
    var lastEpoch = epochs[^1]!;
    var seconds = epochs.Select(e => e!["seconds"]!.GetValue<double>()).Order().ToList();
    double peakRssMiB = result["peak_rss_bytes"]!.GetValue<long>() / (1024.0 * 1024.0);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{benchCase.Name} #{index}: test total {lastEpoch["test"]!["total"]}, epoch seconds [{string.Join(", ", seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}], peak RSS {peakRssMiB:F0} MiB"));
    return new RunResult(
        lastEpoch["test"]!["total"]!.GetValue<double>(),
        lastEpoch["test"]!["recon"]!.GetValue<double>(),
        lastEpoch["test"]!["kl"]!.GetValue<double>(),
        seconds[seconds.Count / 2],
        epochs.Select(e => e!["samples_per_second"]!.GetValue<double>()).Order().ElementAt(epochs.Count / 2),
        peakRssMiB,
        result["analysis"]!["iwae_nll"]!.GetValue<double>());
}

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

static double Median(List<RunResult> runs, Func<RunResult, double> value)
{
    var sorted = runs.Select(value).Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed record BenchCase(string Name, string Title, string[] Arguments);

internal sealed record RunResult(double TestTotal, double TestRecon, double TestKl, double EpochSeconds, double SamplesPerSecond, double PeakRssMiB, double IwaeNll);
