using SweepRunner.Common;

namespace SweepRunner.Storage.Sweeps;

/// <summary>
/// A sweep to create: its spec as submitted and as parsed (canonical JSON), the metric its best trial is chosen by,
/// the most trials it may have (<c>run_cap</c>; null: no limit) and how long one attempt of a trial may run
/// (<c>trial_timeout</c>; null: the coordinator's limit).
/// </summary>
public sealed record NewSweep(
    string Name, string SpecYaml, string Method, string MetricName, MetricGoal MetricGoal, string SpecCanonical, int? RunCap = null, TimeSpan? TrialTimeout = null);
