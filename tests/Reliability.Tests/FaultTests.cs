namespace SweepRunner.Reliability.Tests;

/// <summary>
/// The fault tests' collection: they never run in parallel with each other, since each times a recovery on a machine
/// whose cores the others would take.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultTests
{
    public const string Name = "fault tests";

    /// <summary>The bound a measured recovery fails past: generous, since timings on a loaded machine are noisy.</summary>
    public static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    /// <summary>A grid of <paramref name="trials"/> MLPs (β = 1, 2, …) of <paramref name="epochs"/> epochs on 2,000 images: about a second an epoch.</summary>
    public static string MlpSweep(string name, int trials, int epochs) =>
        $"name: {name}\nmethod: grid\nepochs: {epochs}\ntrain_limit: 2000\nparameters:\n  model:\n    value: mlp\n  beta:\n    values: [{string.Join(", ", Enumerable.Range(1, trials))}]\n";
}
