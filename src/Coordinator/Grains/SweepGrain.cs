using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepRunner.Common;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Contracts.Sweeps.Search;
using SweepRunner.Coordinator.Metrics;
using SweepRunner.Coordinator.Sweeps;
using SweepRunner.Storage.Checkpoints;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Metrics;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Coordinator.Grains;

/// <summary>
/// One sweep. Its state is a cache of the database, written through on every change and rebuilt from it on
/// activation (spec, trials, metric curves), so a coordinator that restarts goes on from what is stored.
/// Every call is short: training happens on the workers, which only report here.
/// </summary>
internal sealed partial class SweepGrain(
    SweepStore sweeps,
    TrialStore trialStore,
    TrialLeases leases,
    EpochMetricStore epochMetrics,
    CheckpointStore checkpoints,
    IOptions<CoordinatorOptions> options,
    SchedulingMetrics metrics,
    TrialSeries trialSeries,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain
{
    private readonly List<TrialProgress> trials = [];
    private readonly Dictionary<Guid, TrialProgress> trialsById = [];
    private SweepRecord sweep = null!;
    private SweepSpec spec = null!;
    private MetricSpec metric = null!;
    private ISearchMethod search = null!;
    private CheckpointKeep checkpointKeep;
    private IGrainTimer? reconcileTimer;

    private Guid SweepId => this.GetPrimaryKey();

    private bool IsGrid => spec.Method == SearchMethodKind.Grid;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        sweep = await sweeps.GetAsync(SweepId, cancellationToken) ?? throw new RecordNotFoundException("sweep", SweepId);
        spec = SweepSpecJson.Read(sweep.SpecCanonical ?? await StoreSpecCanonicalAsync(cancellationToken));
        metric = spec.Metric ?? SweepMetric.Default;
        checkpointKeep = spec.CheckpointKeep ?? options.Value.CheckpointKeep;
        search = SearchMethods.For(spec, SeedOf(SweepId));
        // A sweep stored before the store kept run caps gets its cap there, so that the store enforces it too.
        if (sweep.RunCap is null && spec.RunCap is { } cap) sweep.RunCap = await sweeps.SetRunCapAsync(SweepId, cap, cancellationToken);
        await LoadTrialsAsync(cancellationToken);
        if (sweep.Status == SweepStatus.Running) StartReconciling();
    }

    public async Task<SweepSnapshot> StartAsync()
    {
        if (sweep.Status == SweepStatus.Pending)
        {
            // Trials first: until the sweep runs, nothing else can end it as having none.
            await ProposeAsync(openTrials: 0);
            sweep = await sweeps.TransitionAsync(SweepId, sweep.Version, SweepStatus.Running);
            LogStarted(SweepId, sweep.Name, trials.Count);
            StartReconciling();
            await ReconcileAsync(CancellationToken.None);
        }
        return await GetAsync();
    }

    public async Task<EpochVerdict> ReportEpochAsync(EpochResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (sweep.Status != SweepStatus.Running) return new EpochVerdict(EpochDecision.Abandon, $"the sweep is {sweep.Status.LowerName()}");
        if (!trialsById.TryGetValue(result.TrialId, out var trial)) return new EpochVerdict(EpochDecision.Abandon, "not a trial of this sweep");
        if (trial.Ended) return new EpochVerdict(EpochDecision.Abandon, $"the trial is {trial.Status.LowerName()}");
        // A worker whose lease expired may still be training: only the holder of the current lease speaks for the trial.
        if (!await leases.IsHeldAsync(result.TrialId, result.LeaseId)) return new EpochVerdict(EpochDecision.Abandon, "the lease moved on: it expired, and the trial is another attempt's or has ended");

        trial.Status = TrialStatus.Running;
        metrics.EpochReported();
        trialSeries.Report(LabelsOf(trial), result);
        var value = result.Metric(metric.Name);
        if (value is { } reported) trial.Record(result.Epoch, reported);
        await PruneCheckpointsAsync(trial);
        if (value is null) return EpochVerdict.Continue($"{metric.Name} is known only at the end");
        if (spec.EarlyTerminate is not { } stopper) return EpochVerdict.Continue("no early termination");

        var others = trials.Where(other => other != trial).Select(other => other.Curve).Where(curve => curve.Epochs > 0).ToList();
        var decision = stopper.Decide(trial.Curve, others, metric.Goal);
        if (!decision.ShouldStop) return EpochVerdict.Continue(decision.Reason);
        LogStopping(SweepId, trial.Number, result.Epoch, decision.Reason);
        return new EpochVerdict(EpochDecision.Stop, decision.Reason);
    }

    public async Task EndTrialAsync(TrialResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var final = result.Metrics is { } m ? new FinalMetrics(m.TestTotal, m.TestRecon, m.TestKl, m.IwaeNll, m.ActiveUnits) : null;
        TrialRecord ended;
        try
        {
            ended = result.End switch
            {
                TrialEnd.Completed => await leases.EndAsync(result.TrialId, result.LeaseId,
                    TrialOutcome.Completed(final ?? throw new ArgumentException("a completed trial has final metrics", nameof(result)))),
                TrialEnd.Stopped => await leases.EndAsync(result.TrialId, result.LeaseId, TrialOutcome.Stopped(final)),
                // A worker that does not classify its failures reports errors only as text: an error, retried.
                _ => await leases.FailAttemptAsync(result.TrialId, result.LeaseId, result.FailureClass ?? FailureClass.Error,
                    result.FailureReason ?? "no reason given", options.Value.MaxAttempts),
            };
        }
        catch (LeaseLostException)
        {
            // The lease ran out (the trial is back in the queue or failed) or the sweep was cancelled: not this worker's to end.
            LogLeaseLost(SweepId, result.TrialId);
            return;
        }

        if (trialsById.TryGetValue(ended.Id, out var trial)) trial.Status = ended.Status;
        if (ended.Status == TrialStatus.Pending)
        {
            // An error with attempts left: the trial is back in the queue and its series go on with the next attempt.
            LogRetrying(SweepId, ended.Number, ended.ModelFailures, options.Value.MaxAttempts, ended.FailureReason);
            return;
        }

        metrics.Ended(ended.Status, ended.FailureClass);
        trialSeries.End(ended.Id, final?.IwaeNll);
        if (trial is not null) trial.FinalMetric = final is null ? null : SweepMetric.FromFinal(metric.Name, final);
        await ReconcileAsync(CancellationToken.None);
    }

    public async Task<SweepSnapshot> CancelAsync()
    {
        if (sweep.Status is SweepStatus.Pending or SweepStatus.Running)
        {
            sweep = await sweeps.TransitionAsync(SweepId, sweep.Version, SweepStatus.Cancelled);
            foreach (var trial in trials.Where(trial => !trial.Ended))
            {
                trial.Status = TrialStatus.Cancelled;
                trialSeries.End(trial.Id);
            }
            StopReconciling();
            LogCancelled(SweepId);
        }
        return await GetAsync();
    }

    public async Task<SweepSnapshot> ResumeAsync()
    {
        // The store's row, not the cached one: the refusal must see what another coordinator's API may have done.
        var stored = await sweeps.GetAsync(SweepId) ?? throw new RecordNotFoundException("sweep", SweepId);
        if (ResumeRefusal.For(stored) is { } refusal) throw new InvalidOperationException(refusal);
        var reopened = await sweeps.ReopenAsync(SweepId, stored.Version, [TrialStatus.Cancelled]);
        sweep = reopened.Sweep;
        foreach (var id in reopened.ReopenedTrialIds)
            if (trialsById.TryGetValue(id, out var trial)) trial.Status = TrialStatus.Pending;
        LogResumed(SweepId, reopened.ReopenedTrialIds.Count);
        StartReconciling();
        // Proposes what a random or bayes search has left, or completes a sweep with nothing left to run.
        await ReconcileAsync(CancellationToken.None);
        return await GetAsync();
    }

    public async Task DeleteAsync()
    {
        await sweeps.DeleteAsync(SweepId);
        StopReconciling();
        // Nothing of this sweep is left to cache; a later call finds no sweep.
        DeactivateOnIdle();
        LogDeleted(SweepId, sweep.Name);
    }

    public async Task<SweepSnapshot> TrialsRequeuedAsync()
    {
        sweep = await sweeps.GetAsync(SweepId) ?? throw new RecordNotFoundException("sweep", SweepId);
        foreach (var record in await trialStore.ListAllAsync(SweepId))
        {
            if (!trialsById.TryGetValue(record.Id, out var trial) || trial.Status == record.Status) continue;
            trial.Status = record.Status;
            // A retried trial has no final result until it ends again; its epochs so far stay on its curve.
            trial.FinalMetric = SweepMetric.FinalOf(record) is { } final ? SweepMetric.FromFinal(metric.Name, final) : null;
        }
        if (sweep.Status == SweepStatus.Running)
        {
            LogRequeued(SweepId);
            StartReconciling();
        }
        return await GetAsync();
    }

    public async Task<SweepSnapshot> GetAsync()
    {
        var report = await sweeps.GetStatusAsync(SweepId) ?? throw new RecordNotFoundException("sweep", SweepId);
        return new SweepSnapshot(SweepId, sweep.Name, report.Sweep.Status.LowerName(), report.Sweep.TrialCount, report[TrialStatus.Pending] + report[TrialStatus.Running]);
    }

    /// <summary>
    /// Tops up the open trials of a random or bayes sweep and completes the sweep once nothing is open and nothing more
    /// is proposed. Runs after every ended trial and on a timer (a trial may also end by lease expiry, in the scheduler).
    /// </summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        if (sweep.Status != SweepStatus.Running) return;
        var report = await sweeps.GetStatusAsync(SweepId, cancellationToken) ?? throw new RecordNotFoundException("sweep", SweepId);
        int open = report[TrialStatus.Pending] + report[TrialStatus.Running];
        open += await ProposeAsync(open, cancellationToken);
        if (open > 0) return;

        sweep = await sweeps.TransitionAsync(SweepId, sweep.Version, SweepStatus.Completed, cancellationToken);
        StopReconciling();
        LogCompleted(SweepId, report[TrialStatus.Completed], report[TrialStatus.Stopped], report[TrialStatus.Failed]);
    }

    /// <summary>Adds the trials the search proposes now (a grid: all, once); returns how many were added.</summary>
    private async Task<int> ProposeAsync(int openTrials, CancellationToken cancellationToken = default)
    {
        List<TrialConfig> proposed;
        if (IsGrid)
        {
            proposed = trials.Count == 0 ? [.. search.ExpandAll()!] : [];
        }
        else
        {
            var history = trials.Select(trial => trial.ToProposed()).ToList();
            proposed = [];
            int wanted = (spec.WorkersHint ?? options.Value.OpenTrials) - openTrials;
            while (proposed.Count < wanted && search.Suggest(history) is { } next)
            {
                proposed.Add(next);
                history.Add(new ProposedTrial(next));
            }
        }
        if (proposed.Count == 0) return 0;

        var added = await sweeps.AddTrialsAsync(SweepId, proposed.Select(config => new NewTrial(config.CanonicalJson, config.Hash, spec.RequiredTags(config))), cancellationToken);
        var byHash = proposed.ToDictionary(config => config.Hash, StringComparer.Ordinal);
        foreach (var record in added) Track(new TrialProgress(record.Id, record.Number, byHash[record.ConfigHash], record.Status));
        return added.Count;
    }

    /// <summary>
    /// Deletes the trial's checkpoints that <see cref="checkpointKeep"/> does not keep; the store always keeps the
    /// latest (the worker stores an epoch's checkpoint before reporting it), so this epoch's stays for a resume.
    /// </summary>
    private async Task PruneCheckpointsAsync(TrialProgress trial)
    {
        if (checkpointKeep == CheckpointKeep.All) return;
        // Latest, or best by a metric that only the trial's end has (its curve stays empty): the latest alone.
        int[] kept = checkpointKeep == CheckpointKeep.Best && trial.BestEpoch(metric.Goal) is { } best ? [best] : [];
        try
        {
            int deleted = await checkpoints.PruneAsync(trial.Id, kept);
            if (deleted > 0) LogPruned(SweepId, trial.Number, deleted);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Housekeeping must never fail the report (and so the trial): the next epoch's report prunes what this one left.
            LogPruneFailed(ex, SweepId, trial.Number);
        }
    }

    /// <summary>
    /// The canonical spec of a sweep stored before it was kept beside the file: parsed from the file once (it was
    /// validated when submitted, so it parses to the same spec) and stored, so that later activations read it.
    /// </summary>
    private async Task<string> StoreSpecCanonicalAsync(CancellationToken cancellationToken)
    {
        var parsed = SweepSpecParser.Parse(sweep.SpecYaml, $"sweep {SweepId}").Spec;
        return await sweeps.SetSpecCanonicalAsync(SweepId, SweepSpecJson.Write(parsed), cancellationToken);
    }

    private async Task LoadTrialsAsync(CancellationToken cancellationToken)
    {
        foreach (var record in await trialStore.ListAllAsync(SweepId, cancellationToken))
        {
            var trial = new TrialProgress(record.Id, record.Number, TrialConfig.FromCanonicalJson(record.ConfigJson), record.Status);
            if (SweepMetric.FinalOf(record) is { } final) trial.FinalMetric = SweepMetric.FromFinal(metric.Name, final);
            if (record.CurrentEpoch > 0)
            {
                var rows = await epochMetrics.ListAsync(record.Id, cancellationToken);
                foreach (var row in rows)
                    if (SweepMetric.FromEpoch(metric.Name, row) is { } value) trial.Record(row.Epoch, value);
                // A trial still open carries on from its last stored epoch: its series do too, before its next report.
                if (!trial.Ended && StoredEpoch.Latest(record.Id, rows) is { } latest) trialSeries.Report(LabelsOf(trial), latest);
            }
            Track(trial);
        }
    }

    private void Track(TrialProgress trial)
    {
        trials.Add(trial);
        trialsById[trial.Id] = trial;
    }

    private void StartReconciling()
    {
        var interval = options.Value.SweepInterval;
        // KeepAlive: a running sweep stays active so that it notices trials ended by lease expiry and completes.
        reconcileTimer ??= this.RegisterGrainTimer(ReconcileAsync, new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
    }

    private void StopReconciling()
    {
        reconcileTimer?.Dispose();
        reconcileTimer = null;
    }

    private TrialLabels LabelsOf(TrialProgress trial) => TrialLabels.For(SweepId, sweep.Name, trial.Number, trial.Config);

    /// <summary>The seed of random and bayes search, fixed by the sweep id so a reactivated grain proposes the same trials.</summary>
    private static int SeedOf(Guid id)
    {
        Span<int> words = stackalloc int[4];
        id.TryWriteBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(words));
        return words[0] ^ words[1] ^ words[2] ^ words[3];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} ({Name}) started with {Trials} trials")]
    private partial void LogStarted(Guid sweepId, string name, int trials);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: stopping trial {Number} after epoch {Epoch}: {Reason}")]
    private partial void LogStopping(Guid sweepId, int number, int epoch, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: trial {Number} failed in training ({Failures} of {MaxAttempts} attempts), back in the queue: {Reason}")]
    private partial void LogRetrying(Guid sweepId, int number, int failures, int maxAttempts, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: trial {TrialId} was ended by a worker whose lease is gone; ignored")]
    private partial void LogLeaseLost(Guid sweepId, Guid trialId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sweep {SweepId}: deleted {Deleted} checkpoints of trial {Number} that are kept no longer")]
    private partial void LogPruned(Guid sweepId, int number, int deleted);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: could not delete the older checkpoints of trial {Number}; the next epoch's report tries again")]
    private partial void LogPruneFailed(Exception exception, Guid sweepId, int number);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId}: trials queued again by a user's retry; the sweep runs until they end")]
    private partial void LogRequeued(Guid sweepId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} cancelled")]
    private partial void LogCancelled(Guid sweepId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} resumed: {Reopened} cancelled trials back in the queue")]
    private partial void LogResumed(Guid sweepId, int reopened);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} ({Name}) deleted with its trials, metrics, checkpoints and figures")]
    private partial void LogDeleted(Guid sweepId, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} completed: {Completed} trials completed, {Stopped} stopped early, {Failed} failed")]
    private partial void LogCompleted(Guid sweepId, int completed, int stopped, int failed);
}
