using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SweepRunner.Contracts.Grains;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Coordinator.Metrics;
using SweepRunner.Storage.Errors;
using SweepRunner.Storage.Leases;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Grains;

/// <summary>
/// The work queue in front of <see cref="TrialLeases"/>: the database holds every lease (so leasing is exactly-once
/// even across coordinators), this grain only adds the timer that ends expired ones, and the grace that spares the
/// leases of workers cut off by a restart or an outage (<see cref="ExpiryGrace"/>).
/// </summary>
internal sealed partial class TrialSchedulerGrain(
    TrialLeases leases, IOptions<CoordinatorOptions> options, SchedulingMetrics metrics, TimeProvider clock, ILogger<TrialSchedulerGrain> logger)
    : Grain, ITrialSchedulerGrain
{
    /// <summary>A store call slower than this was held by an outage (a healthy one takes milliseconds): a grace follows it.</summary>
    private static readonly TimeSpan SlowStoreCall = TimeSpan.FromSeconds(5);

    private readonly CoordinatorOptions settings = options.Value;
    private readonly ExpiryGrace grace = new(options.Value.LeaseGrace, SlowStoreCall, clock, logger);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A new activation is a coordinator (re)started or the scheduler moved: workers may not have reached it yet.
        grace.Start("the scheduler started; workers renew the leases that lapsed while it was away");
        // KeepAlive: the timer must go on even while no worker calls (all of them may have died: that is when it matters).
        this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(settings.SweepInterval, settings.SweepInterval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public async Task<TrialLease?> LeaseAsync(string worker, IReadOnlyList<string>? tags = null)
    {
        var trial = await grace.CallStoreAsync(token => leases.LeaseNextAsync(worker, settings.LeaseDuration, tags: tags, cancellationToken: token), CancellationToken.None);
        return trial is null ? null : Leased(trial, worker);
    }

    public async Task<IReadOnlyList<TrialLease>> LeaseGroupAsync(string worker, IReadOnlyList<string>? tags, int maxTrials)
    {
        var trials = await grace.CallStoreAsync(token => leases.LeaseGroupAsync(worker, settings.LeaseDuration, maxTrials, PackingRule, tags, token), CancellationToken.None);
        // An array: a type Orleans serializes as it is (a collection expression would make a compiler-made list).
        return trials.Select(trial => Leased(trial, worker)).ToArray();
    }

    public async Task<LeaseRenewal> HeartbeatAsync(Guid trialId, Guid leaseId)
    {
        try
        {
            return new LeaseRenewal(true, await grace.CallStoreAsync(token => leases.RenewAsync(trialId, leaseId, settings.LeaseDuration, token), CancellationToken.None));
        }
        catch (LeaseLostException)
        {
            return LeaseRenewal.Lost;
        }
    }

    public Task<int> ExpireLeasesAsync() => ExpireAsync(CancellationToken.None);

    private async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var expired = await grace.PassAsync(token => leases.ExpireAsync(settings.InfrastructureAttempts, settings.TrialTimeout, token), leases.CountLapsedAsync, cancellationToken);
        if (expired is null) return 0;
        metrics.Expired(expired.Requeued + expired.Failed, expired.Failed, expired.TimedOut);
        if (expired.Requeued + expired.Failed > 0) LogExpired(expired.Requeued, expired.Failed);
        if (expired.TimedOut > 0) LogTimedOut(expired.TimedOut);
        return expired.Requeued;
    }

    /// <summary>A sweep packs when its stored spec says <c>packing: auto</c>; an old sweep without a parsed spec never does.</summary>
    private static readonly TrialPackingRule PackingRule = new(
        spec => spec is not null && SweepSpecJson.Read(spec).Packing == PackingMode.Auto,
        TrialPacking.KeyOf);

    private TrialLease Leased(TrialRecord trial, string worker)
    {
        metrics.Leased();
        LogLeased(trial.SweepId, trial.Number, trial.Attempt, worker);
        return new TrialLease(trial.Id, trial.SweepId, trial.Number, trial.Attempt, trial.LeaseId!.Value, trial.LeaseExpiresAt!.Value, trial.ConfigJson);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Leased trial {Number} of sweep {SweepId} (attempt {Attempt}) to {Worker}")]
    private partial void LogLeased(Guid sweepId, int number, int attempt, string worker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Leases expired: {Requeued} trials back in the queue, {Failed} failed on their last infrastructure attempt")]
    private partial void LogExpired(int requeued, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{TimedOut} trials failed: their attempt ran longer than their sweep's trial_timeout or the coordinator's TrialTimeout")]
    private partial void LogTimedOut(int timedOut);
}
