using Microsoft.Extensions.Logging;
using Polly;
using SweepRunner.Storage.Resilience;

namespace SweepRunner.Worker.Slots;

/// <summary>
/// Runs a trial's calls to the coordinator and writes to the store again through an outage, with an exponential
/// backoff (0.5 s doubling to 5 s, jittered), for as long as the lease may still be this worker's: until the expiry the
/// last heartbeat obtained plus <see cref="WorkerOptions.OutageGrace"/> (no lease is ended while the store is down,
/// nor for a grace after it or the coordinator is back, so the heartbeat renews it then), or until the lease is known
/// to be lost. Past that the outage's exception is thrown: the trial is no longer this worker's, and its checkpoint
/// lets the next attempt resume. An outage never fails the trial.
/// </summary>
internal sealed partial class LeaseBoundRetry
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private readonly ResiliencePipeline pipeline;
    private readonly ILogger logger;

    public LeaseBoundRetry(LeaseHeartbeat heartbeat, TimeSpan outageGrace, TimeProvider clock, string slot, ILogger logger)
    {
        this.logger = logger;
        pipeline = OutageBackoff.Pipeline(
            FirstDelay,
            MaxDelay,
            ex => Outages.IsOutage(ex) && !heartbeat.Lost.IsCancellationRequested && clock.GetUtcNow().UtcDateTime < heartbeat.ExpiresAt + outageGrace,
            (attempt, delay, ex) => LogRetrying(slot, attempt, delay.TotalSeconds, heartbeat.ExpiresAt + outageGrace, ex.Message),
            clock);
    }

    /// <summary>Runs <paramref name="call"/> on the calling thread (the slot's), again through outages while the lease may hold.</summary>
    public T Run<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(async token => await call(token), cancellationToken).AsTask().GetAwaiter().GetResult();

    public void Run(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        Run(async token =>
        {
            await call(token);
            return true;
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Slot}: coordinator or store unreachable (attempt {Attempt}); trying again in {DelaySeconds:F1} s, until {GivesUpAt:HH:mm:ss} UTC at the latest: {Reason}")]
    private partial void LogRetrying(string slot, int attempt, double delaySeconds, DateTime givesUpAt, string reason);
}
