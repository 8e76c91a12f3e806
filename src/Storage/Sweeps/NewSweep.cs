using SweepRunner.Common;

namespace SweepRunner.Storage.Sweeps;

/// <summary>A sweep to create: its spec as submitted and as parsed (canonical JSON), and the metric its best trial is chosen by.</summary>
public sealed record NewSweep(string Name, string SpecYaml, string Method, string MetricName, MetricGoal MetricGoal, string SpecCanonical);
