using Polly;
using Polly.Retry;

namespace SweepRunner.Storage.Resilience;

/// <summary>
/// The one way SweepRunner waits out an outage (a database not up yet, a coordinator restarting): tries again after
/// an exponential backoff with jitter, without a limit on attempts; <c>handles</c> says which failures are an outage
/// (and may end the waiting, a lease that ran out), cancellation ends it.
/// </summary>
public static class OutageBackoff
{
    /// <param name="onRetry">Attempt number (from 1), the delay before the next, and the failure: for the one line each attempt logs.</param>
    public static ResiliencePipeline Pipeline(
        TimeSpan first, TimeSpan max, Func<Exception, bool> handles, Action<int, TimeSpan, Exception> onRetry, TimeProvider? clock = null) =>
        new ResiliencePipelineBuilder { TimeProvider = clock ?? TimeProvider.System }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } ex && handles(ex)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = first,
                MaxDelay = max,
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    onRetry(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception!);
                    return default;
                },
            })
            .Build();
}
