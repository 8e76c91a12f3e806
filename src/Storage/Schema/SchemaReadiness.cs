namespace SweepRunner.Storage.Schema;

/// <summary>
/// Completes once the host's schema step is done (migrated, or found up to date by a host that does not migrate), so
/// that what comes after it is timed from there: a worker waiting for <c>sweep db migrate</c> is not slow to join its
/// cluster, it has not begun to.
/// </summary>
public sealed class SchemaReadiness
{
    private readonly TaskCompletionSource done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the schema step has succeeded; never fails (a failed step fails the host's start).</summary>
    public Task Done => done.Task;

    internal void MarkDone() => done.TrySetResult();
}
