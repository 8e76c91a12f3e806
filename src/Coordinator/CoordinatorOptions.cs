using System.ComponentModel.DataAnnotations;
using System.Net;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Coordinator;

/// <summary>How the coordinator schedules trials and where workers find it (configuration section <c>Coordinator</c>).</summary>
public sealed class CoordinatorOptions
{
    public const string SectionName = "Coordinator";

    /// <summary>
    /// How long a lease lasts without a heartbeat; workers renew at a third of it. With <see cref="SweepInterval"/> it
    /// bounds how soon a killed worker's trial is leased again: within about 12 s by default.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often expired leases are ended, running sweeps are checked for completion and the cluster's metrics are sampled.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long no lease is ended after the coordinator starts (or the scheduler moves) and after the store comes back
    /// from an outage: the leases that lapsed meanwhile belong to live workers that could not renew them. A worker
    /// needs a refresh of its gateway list (every 5 s) to find a restarted coordinator, then a heartbeat (every third
    /// of <see cref="LeaseDuration"/>) to renew; the default leaves room for both, twice.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan LeaseGrace { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How many times a trial may fail in training (an exception) before it fails for good: each earlier failure puts
    /// it back in the queue, to resume from its checkpoint. A diverged trial fails at once. Lost workers do not count.
    /// </summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// How many times a trial may lose its worker (its lease expires: the worker died, or the coordinator or the store
    /// stayed unreachable past the lease) before it fails, class infrastructure. Larger than <see cref="MaxAttempts"/>,
    /// so that an outage never fails a trial, while one that kills every worker that takes it still ends.
    /// </summary>
    [Range(1, 1000)]
    public int InfrastructureAttempts { get; set; } = 10;

    /// <summary>
    /// How long one attempt of a trial may run before it fails, class timeout, for the sweeps whose file sets no
    /// <c>trial_timeout</c> of their own (which wins); null (the default): no limit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan? TrialTimeout { get; set; }

    /// <summary>
    /// Random and bayes sweeps keep this many trials open (pending or running) unless the sweep's <c>workers</c> hint
    /// says otherwise: more keeps workers busy, fewer lets bayes learn from more results before each proposal.
    /// </summary>
    [Range(1, 10_000)]
    public int OpenTrials { get; set; } = 4;

    /// <summary>
    /// Which checkpoints of each trial stay stored when its sweep file has no <c>checkpoints</c> key: by default the
    /// latest and the best epoch's, as every epoch's (about 10 MB each for an MLP) would fill the store.
    /// </summary>
    [EnumDataType(typeof(CheckpointKeep))]
    public CheckpointKeep CheckpointKeep { get; set; } = CheckpointKeep.Best;

    /// <summary>How long a worker that stopped announcing itself still counts as connected (workers announce every 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WorkerTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an ended trial's metric series (and a finished sweep's) stay exported before they go.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan FinishedSeriesRetention { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The trial series one per-trial metric can hold over the coordinator's life (a trial's split is one series; the
    /// per-dimension metric gets four times as many): memory for them is set aside up front, about 100 bytes each, and
    /// a reported series takes about 2 KiB more. Beyond it, new trials' values go to one overflow series (label
    /// <c>otel_metric_overflow</c>) until the coordinator restarts.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int TrialSeriesLimit { get; set; } = 10_000;

    /// <summary>
    /// The IP address or host name the silo publishes in the membership table for workers to connect to (ADO.NET
    /// clustering). Loopback, the default, keeps the cluster on this host; any other address makes the silo listen on
    /// every address, so that workers on other hosts reach it.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string AdvertisedAddress { get; set; } = IPAddress.Loopback.ToString();
}
