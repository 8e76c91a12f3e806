namespace SweepRunner.Contracts.Grains;

/// <summary>
/// One sweep (key: its id): expands the spec into trials, proposes more as results arrive (random, bayes), decides
/// on early stopping after every epoch, ends trials and completes the sweep. The database is the system of record:
/// an activation rebuilds its state from it, so a restarted coordinator carries on where it stopped.
/// </summary>
[Alias("sweeprunner.sweep")]
public interface ISweepGrain : IGrainWithGuidKey
{
    /// <summary>Expands a pending sweep into its first trials and starts it; a started sweep is left as it is.</summary>
    [Alias("start")]
    Task<SweepSnapshot> StartAsync();

    /// <summary>A running trial finished an epoch (its metrics are already stored): should it go on?</summary>
    [Alias("report-epoch")]
    Task<EpochVerdict> ReportEpochAsync(EpochResult result);

    /// <summary>Ends a trial under its lease; proposes the next trials and completes the sweep when nothing is left.</summary>
    [Alias("end-trial")]
    Task EndTrialAsync(TrialResult result);

    /// <summary>Cancels the sweep and its open trials; their workers hear of it at their next report or heartbeat.</summary>
    [Alias("cancel")]
    Task<SweepSnapshot> CancelAsync();

    /// <summary>
    /// A cancelled sweep goes on where it stopped: its cancelled trials go back in the queue, each resuming from its
    /// last checkpoint, and the search proposes the rest. Throws <see cref="InvalidOperationException"/>, saying why,
    /// for a sweep that is not cancelled.
    /// </summary>
    [Alias("resume")]
    Task<SweepSnapshot> ResumeAsync();

    /// <summary>
    /// Deletes an ended sweep with its trials, their metrics, checkpoints and figures. Throws
    /// <see cref="InvalidOperationException"/> while the sweep is pending or running: it must be cancelled first.
    /// </summary>
    [Alias("delete")]
    Task DeleteAsync();

    /// <summary>
    /// The store queued some of the sweep's trials again (a user's retry, which also sets a finished sweep running):
    /// takes their new state, and runs the sweep again until they end.
    /// </summary>
    [Alias("trials-requeued")]
    Task<SweepSnapshot> TrialsRequeuedAsync();

    [Alias("get")]
    Task<SweepSnapshot> GetAsync();
}
