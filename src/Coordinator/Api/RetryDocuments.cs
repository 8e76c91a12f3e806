using SweepRunner.Contracts.Grains;

namespace SweepRunner.Coordinator.Api;

/// <summary>
/// The body of <c>POST /api/sweeps/{id}/retry</c>: the trial numbers to queue again (failed, cancelled or stopped),
/// or none (or <c>failed: true</c>) for all the sweep's failed trials. An empty body retries the failed trials.
/// </summary>
public sealed record RetryRequest(IReadOnlyList<int>? Trials, bool? Failed);

/// <summary>What a retry did: the sweep (running again if it had finished) and the trials queued again, on their new attempts.</summary>
public sealed record RetryDocument(SweepSnapshot Sweep, IReadOnlyList<TrialSummary> Trials);
