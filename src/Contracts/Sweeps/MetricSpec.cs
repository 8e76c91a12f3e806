using SweepRunner.Common;

namespace SweepRunner.Contracts.Sweeps;

/// <summary>The metric a sweep optimizes: a canonical name (<see cref="MetricNames"/>), its goal, and an optional target.</summary>
/// <param name="Target">The sweep may stop once a trial reaches this value.</param>
public sealed record MetricSpec(string Name, MetricGoal Goal, double? Target);
