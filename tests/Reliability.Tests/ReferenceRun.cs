using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using SweepRunner.Contracts.Parameters;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.TestSupport;

namespace SweepRunner.Reliability.Tests;

/// <summary>One epoch's losses on one split, as <c>sweep train</c> writes them to metrics.json.</summary>
public sealed record ReferenceLosses(double Total, double Recon, double Kl);

/// <summary>
/// A trial's configuration trained uninterrupted by <c>sweep train --threads 1</c> (one thread, as the fault tests'
/// workers train): what a trial interrupted and resumed from its checkpoint must end with, to the last bit, since a
/// resumed run is bit-identical with the same thread count.
/// </summary>
public sealed record ReferenceRun(IReadOnlyList<ReferenceLosses> Train, IReadOnlyList<ReferenceLosses> Test, double IwaeNll)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);

    /// <summary>Runs of this test process by command line: the fault tests' sweeps share configurations, each trained once.</summary>
    private static readonly ConcurrentDictionary<string, Lazy<Task<ReferenceRun>>> Runs = new(StringComparer.Ordinal);

    /// <summary>The uninterrupted run of a trial's configuration (its canonical JSON, as stored).</summary>
    public static Task<ReferenceRun> OfAsync(string configJson)
    {
        var arguments = TrainArguments(configJson);
        return Runs.GetOrAdd(string.Join(' ', arguments), _ => new Lazy<Task<ReferenceRun>>(() => TrainAsync(arguments))).Value;
    }

    /// <summary><c>--beta 2 --epochs 4 …</c>: every trainer parameter of the trial's training config, as the worker reads it.</summary>
    private static List<string> TrainArguments(string configJson)
    {
        var config = TrainerParameters.ToTrainingConfig(TrialConfig.FromCanonicalJson(configJson));
        return
        [
            .. TrainerParameters.All.SelectMany(parameter => parameter.ValueIn(config) is { } value
                ? new[] { "--" + parameter.Name.Replace('_', '-'), value.ToString() }
                : []),
        ];
    }

    private static async Task<ReferenceRun> TrainAsync(List<string> arguments)
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-reference-");
        try
        {
            using var train = SweepProcess.Start(new Dictionary<string, string>(), ["train", .. arguments, "--threads", "1", "--json", "--out", folder.FullName]);
            int exitCode = await train.WaitForExitAsync(RunTimeout);
            Assert.True(exitCode == 0, $"sweep train {string.Join(' ', arguments)} exited with {exitCode}:\n{train.Output}");
            var metrics = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder.FullName, "metrics.json")))!;
            var epochs = metrics["epochs"]!.AsArray();
            return new ReferenceRun(
                [.. epochs.Select(epoch => Losses(epoch!["train"]!))],
                [.. epochs.Select(epoch => Losses(epoch!["test"]!))],
                (double)metrics["analysis"]!["iwae_nll"]!);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static ReferenceLosses Losses(JsonNode split) => new((double)split["total"]!, (double)split["recon"]!, (double)split["kl"]!);
}
