using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Reports;

/// <summary>A mean and sample standard deviation (n − 1 in the denominator).</summary>
internal readonly record struct Spread(double Mean, double StandardDeviation)
{
    /// <summary>The spread of <paramref name="values"/>; null with fewer than two values.</summary>
    public static Spread? Of(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return null;
        double mean = values.Average();
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return new Spread(mean, Math.Sqrt(variance));
    }
}

/// <summary>Trials that share a config but for the seed, and how much their final test losses vary.</summary>
internal sealed record SeedGroup(IReadOnlyList<TrialView> Trials, Spread Total, Spread Recon, Spread Kl, Spread? IwaeNll)
{
    public TrialView First => Trials[0];

    /// <summary>
    /// The groups of <paramref name="trials"/> repeated with two or more seeds, counting only trials with final
    /// test metrics (a failed or unfinished trial has none), in the order of their first trial.
    /// </summary>
    public static IReadOnlyList<SeedGroup> Of(IEnumerable<TrialView> trials) =>
        [.. trials
            .Where(t => t.Trial is { TestTotal: not null, TestRecon: not null, TestKl: not null })
            .OrderBy(t => t.Trial.Number)
            .GroupBy(t => t.ConfigWithoutSeed, StringComparer.Ordinal)
            .Where(group => group.Select(t => t.Seed).Distinct().Count() >= 2)
            .Select(group =>
            {
                var members = group.ToList();
                var iwae = members.Select(t => t.Trial.IwaeNll).ToList();
                return new SeedGroup(
                    members,
                    Spread.Of([.. members.Select(t => t.Trial.TestTotal!.Value)])!.Value,
                    Spread.Of([.. members.Select(t => t.Trial.TestRecon!.Value)])!.Value,
                    Spread.Of([.. members.Select(t => t.Trial.TestKl!.Value)])!.Value,
                    iwae.All(v => v is not null) ? Spread.Of([.. iwae.Select(v => v!.Value)]) : null);
            })];

    /// <summary>The group's config without seed and β: what a line in the seed-spread chart stands for.</summary>
    public string SeriesKey(SweptKeys keys) => keys.Describe(First.Config, TrainerParameterNames.Seed, TrainerParameterNames.Beta);
}
