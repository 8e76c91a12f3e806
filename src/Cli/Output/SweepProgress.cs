using System.Text.Json;
using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Cli.Output;

/// <summary>A sweep's trials as stored at one moment: what <c>sweep run</c> draws live and prints at the end.</summary>
internal sealed record SweepProgress(SweepRecord Sweep, IReadOnlyList<TrialRow> Trials)
{
    /// <summary>Keys every trial of a sweep shares (set at sweep level): left out of the table's config column.</summary>
    private static readonly HashSet<string> SweepLevelKeys = [TrainerParameterNames.Epochs, TrainerParameterNames.TrainLimit, TrainerParameterNames.Dataset];

    public bool Finished => Sweep.Status is not (SweepStatus.Pending or SweepStatus.Running);

    public int Ended => Trials.Count(trial => trial.Record.Status is not (TrialStatus.Pending or TrialStatus.Running));

    public static async Task<SweepProgress> ReadAsync(SweepStore sweeps, TrialStore trials, EpochMetricStore epochs, Guid sweepId, CancellationToken cancellationToken)
    {
        var sweep = await sweeps.GetAsync(sweepId, cancellationToken) ?? throw new RecordNotFoundException("sweep", sweepId);
        var rows = new List<TrialRow>();
        foreach (var trial in await trials.ListAllAsync(sweepId, cancellationToken))
        {
            // A running trial has no final loss yet: its latest epoch's test loss stands in.
            double? testLoss = trial.TestTotal;
            if (testLoss is null && trial.CurrentEpoch > 0)
                testLoss = (await epochs.ListAsync(trial.Id, cancellationToken)).LastOrDefault(row => row.Split == MetricSplit.Test)?.Total;
            rows.Add(new TrialRow(trial, testLoss));
        }
        return new SweepProgress(sweep, rows);
    }

    /// <summary>The swept values of a trial, <c>beta=4.0 model=mlp</c>.</summary>
    public static string DescribeConfig(TrialRecord trial) =>
        string.Join(' ', TrialConfig.FromCanonicalJson(trial.ConfigJson).Values.Where(pair => !SweepLevelKeys.Contains(pair.Key)).Select(pair => $"{pair.Key}={pair.Value}"));

    /// <summary>A trial's status as shown: its failure class beside it when it failed, <c>failed (diverged)</c>.</summary>
    public static string DescribeStatus(TrialRecord trial) =>
        trial is { Status: TrialStatus.Failed, FailureClass: { } failure } ? $"failed ({failure.LowerName()})" : trial.Status.LowerName();

    /// <summary>Total epochs of a trial (from its config; 1, the trainer's default, when it sets none).</summary>
    public static int EpochsOf(TrialRecord trial) =>
        TrialConfig.FromCanonicalJson(trial.ConfigJson).TryGetValue(TrainerParameterNames.Epochs, out var epochs) && epochs is IntegerValue { Value: var count } ? (int)count : 1;

    /// <param name="api">Where <c>sweep run</c> served the REST API.</param>
    public JsonObject ToJson(TrialRecord? best, string? bestCheckpoint, string? report, string? api) => new()
    {
        ["sweep_id"] = Sweep.Id.ToString(),
        ["name"] = Sweep.Name,
        ["status"] = Sweep.Status.LowerName(),
        ["metric"] = Sweep.MetricName,
        ["trials"] = new JsonArray([.. Trials.Select(row => (JsonNode)TrialJson(row.Record))]),
        ["best"] = best is null ? null : TrialJson(best),
        ["best_checkpoint"] = bestCheckpoint,
        ["report"] = report,
        ["api"] = api,
    };

    private static JsonObject TrialJson(TrialRecord trial) => new()
    {
        ["id"] = trial.Id.ToString(),
        ["number"] = trial.Number,
        ["config"] = JsonNode.Parse(trial.ConfigJson),
        ["status"] = trial.Status.LowerName(),
        ["attempt"] = trial.Attempt,
        ["epochs"] = trial.CurrentEpoch,
        ["worker"] = trial.Worker,
        ["test_total"] = trial.TestTotal,
        ["test_recon"] = trial.TestRecon,
        ["test_kl"] = trial.TestKl,
        ["iwae_nll"] = trial.IwaeNll,
        ["active_units"] = trial.ActiveUnits,
        ["failure_class"] = trial.FailureClass?.LowerName(),
        ["failure_reason"] = trial.FailureReason,
    };

    public string ToJsonString(TrialRecord? best, string? bestCheckpoint, string? report, string? api) => ToJson(best, bestCheckpoint, report, api).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
}

/// <summary>One trial and its latest test loss (final when it has ended).</summary>
internal sealed record TrialRow(TrialRecord Record, double? TestLoss);
