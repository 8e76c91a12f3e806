using SweepRunner.Cli.Output;
using SweepRunner.Cli.Reports;
using SweepRunner.Common;
using SweepRunner.Contracts.Training;
using SweepRunner.Coordinator.Api;
using SweepRunner.Models.Training;
using SweepRunner.Reports;
using SweepRunner.Storage.Records;

namespace SweepRunner.Cli.Remote;

/// <summary>
/// A sweep followed through the API, as <c>sweep watch</c> does: the API's documents are turned back into the
/// records they were made from, so that it shows what <c>sweep run</c> shows (<see cref="SweepFollower"/>).
/// </summary>
internal sealed class RemoteProgress(CoordinatorClient client, Guid sweepId) : ISweepFeed
{
    public async Task<SweepProgress> ReadAsync(CancellationToken cancellationToken)
    {
        var detail = await client.GetSweepAsync(sweepId, cancellationToken);
        var rows = new List<TrialRow>();
        foreach (var trial in await client.ListTrialsAsync(sweepId, cancellationToken))
        {
            // A running trial has no final loss yet: its latest epoch's test loss stands in, as in `sweep run`.
            double? testLoss = trial.TestTotal;
            if (testLoss is null && trial.Epoch > 0)
                testLoss = (await client.GetTrialAsync(trial.Id, cancellationToken)).Epochs.LastOrDefault(e => e.Split == MetricSplit.Test.LowerName())?.Total;
            rows.Add(new TrialRow(ToRecord(trial), testLoss));
        }
        return new SweepProgress(ToRecord(detail.Sweep), rows);
    }

    // The API has no cheap way to say whether anything changed: every interval reads the sweep again.
    public Task WaitForChangeAsync(TimeSpan interval, CancellationToken cancellationToken) => Task.Delay(interval, cancellationToken);

    public async Task<IReadOnlyList<EpochReport>> EpochsAsync(Guid trialId, CancellationToken cancellationToken) =>
        EpochRow.Pair((await client.GetTrialAsync(trialId, cancellationToken)).Epochs.Select(EpochDocuments.ToEpochRow));

    private static SweepRecord ToRecord(SweepSummary sweep) => new()
    {
        Id = sweep.Id,
        Name = sweep.Name,
        SpecYaml = "",
        Method = sweep.Method,
        MetricName = sweep.Metric,
        MetricGoal = Enum.Parse<MetricGoal>(sweep.Goal, ignoreCase: true),
        Status = Enum.Parse<SweepStatus>(sweep.Status, ignoreCase: true),
        TrialCount = sweep.Trials,
        CreatedAt = sweep.CreatedAt,
        FinishedAt = sweep.FinishedAt,
    };

    private static TrialRecord ToRecord(TrialSummary trial) => new()
    {
        Id = trial.Id,
        SweepId = trial.SweepId,
        Number = trial.Number,
        ConfigJson = trial.Config.GetRawText(),
        ConfigHash = trial.ConfigHash,
        Status = Enum.Parse<TrialStatus>(trial.Status, ignoreCase: true),
        Attempt = trial.Attempt,
        CurrentEpoch = trial.Epoch,
        Worker = trial.Worker,
        TestTotal = trial.TestTotal,
        TestRecon = trial.TestRecon,
        TestKl = trial.TestKl,
        IwaeNll = trial.IwaeNll,
        ActiveUnits = trial.ActiveUnits,
        FailureReason = trial.FailureReason,
        FailureClass = trial.FailureClass is { } failure ? Enum.Parse<FailureClass>(failure, ignoreCase: true) : null,
        CreatedAt = trial.CreatedAt,
        StartedAt = trial.StartedAt,
        FinishedAt = trial.FinishedAt,
    };
}
