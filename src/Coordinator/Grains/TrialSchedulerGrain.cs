using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepRunner.Contracts.Grains;
using SweepRunner.Coordinator.Metrics;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Leases;

namespace SweepRunner.Coordinator.Grains;

/// <summary>
/// The work queue in front of <see cref="TrialLeases"/>: the database holds every lease (so leasing is exactly-once
/// even across coordinators), this grain only adds the timer that ends expired ones.
/// </summary>
internal sealed partial class TrialSchedulerGrain(TrialLeases leases, IOptions<CoordinatorOptions> options, SchedulingMetrics metrics, ILogger<TrialSchedulerGrain> logger)
    : Grain, ITrialSchedulerGrain
{
    private readonly CoordinatorOptions settings = options.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // KeepAlive: the timer must go on even while no worker calls (all of them may have died: that is when it matters).
        this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(settings.SweepInterval, settings.SweepInterval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task<TrialLease?> LeaseAsync(string worker)
    {
        var trial = await leases.LeaseNextAsync(worker, settings.LeaseDuration);
        if (trial is null) return null;
        metrics.Leased();
        LogLeased(trial.SweepId, trial.Number, trial.Attempt, worker);
        return new TrialLease(trial.Id, trial.SweepId, trial.Number, trial.Attempt, trial.LeaseId!.Value, trial.LeaseExpiresAt!.Value, trial.ConfigJson);
    }

    public async Task<LeaseRenewal> HeartbeatAsync(Guid trialId, Guid leaseId)
    {
        try
        {
            return new LeaseRenewal(true, await leases.RenewAsync(trialId, leaseId, settings.LeaseDuration));
        }
        catch (LeaseLostException)
        {
            return LeaseRenewal.Lost;
        }
    }

    public Task<int> ExpireLeasesAsync() => ExpireAsync(CancellationToken.None);

    private async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var expired = await leases.ExpireAsync(settings.InfrastructureAttempts, settings.TrialTimeout, cancellationToken);
        metrics.Expired(expired.Requeued + expired.Failed, expired.Failed, expired.TimedOut);
        if (expired.Requeued + expired.Failed > 0) LogExpired(expired.Requeued, expired.Failed);
        if (expired.TimedOut > 0) LogTimedOut(expired.TimedOut, settings.TrialTimeout);
        return expired.Requeued;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Leased trial {Number} of sweep {SweepId} (attempt {Attempt}) to {Worker}")]
    private partial void LogLeased(Guid sweepId, int number, int attempt, string worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leases expired: {Requeued} trials back in the queue, {Failed} failed on their last infrastructure attempt")]
    private partial void LogExpired(int requeued, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{TimedOut} trials failed: their attempt ran longer than the trial timeout ({Timeout})")]
    private partial void LogTimedOut(int timedOut, TimeSpan? timeout);
}
