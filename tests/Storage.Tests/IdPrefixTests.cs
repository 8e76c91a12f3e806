using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Ids;
using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Storage.Tests;

/// <summary>Short ids: the start of a sweep's or trial's id finds it, on both providers, as a parameter of the query.</summary>
public sealed class IdPrefixTests(PostgresFixture postgres) : DatabaseTests(postgres)
{
    [Theory, BothProviders]
    public async Task A_short_id_in_either_case_finds_its_sweep_and_a_shared_start_finds_every_sweep_with_it(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        // 17 random ids: at least two share their first hex digit.
        var sweeps = new List<SweepRecord>();
        for (int i = 0; i < 17; i++) sweeps.Add(await db.Sweeps.CreateAsync(Samples.Sweep($"sweep {i}"), Samples.Trials(1)));
        var target = sweeps[3];
        var shared = sweeps.GroupBy(s => s.Id.ToString()[0]).First(group => group.Count() > 1);

        Assert.Equal([target.Id], await db.Sweeps.FindIdsAsync(Prefix(IdPrefix.ShortId(target.Id).ToUpperInvariant()), 10));
        Assert.Equal([target.Id], await db.Sweeps.FindIdsAsync(Prefix(target.Id.ToString()), 10));
        Assert.Equal(shared.Select(s => s.Id.ToString()).Order(StringComparer.Ordinal), (await db.Sweeps.FindIdsAsync(Prefix(shared.Key.ToString()), 20)).Select(id => id.ToString()));
        Assert.Single(await db.Sweeps.FindIdsAsync(Prefix(shared.Key.ToString()), 1));
        Assert.Empty(await db.Trials.FindIdsAsync(Prefix(IdPrefix.ShortId(target.Id)), 10));
    }

    [Theory, BothProviders]
    public async Task A_short_id_finds_its_trial_and_no_other(StorageProvider provider)
    {
        await using var db = await CreateDatabaseAsync(provider);
        var sweep = await db.Sweeps.CreateAsync(Samples.Sweep(), Samples.Trials(3));
        var trials = (await db.Trials.ListAsync(new TrialQuery(sweep.Id))).Trials;

        foreach (var trial in trials)
            Assert.Equal([trial.Id], await db.Trials.FindIdsAsync(Prefix(trial.Id.ToString()[..13]), 10));
    }

    [Theory]
    [InlineData("3f9c2a7e", "3f9c2a7e")]
    [InlineData("3F9C2A7E-1", "3f9c2a7e-1")]
    [InlineData("0", "0")]
    [InlineData("3f9c2a7e-1c2d-4e4f-8a9b-0c1d2e3f4a5b", "3f9c2a7e-1c2d-4e4f-8a9b-0c1d2e3f4a5b")]
    public void The_start_of_an_ids_canonical_form_is_a_prefix_kept_in_lower_case(string text, string expected)
    {
        Assert.True(IdPrefix.TryParse(text, out var prefix));
        Assert.Equal(expected, prefix.Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("3f9c2a7e1")]
    [InlineData("3f9c%")]
    [InlineData("3f9c_")]
    [InlineData("xyz")]
    [InlineData("3f9c2a7e-1c2d-4e4f-8a9b-0c1d2e3f4a5b0")]
    public void Anything_else_is_no_prefix_so_no_wildcard_reaches_the_query(string text)
    {
        Assert.False(IdPrefix.TryParse(text, out _));
    }

    private static IdPrefix Prefix(string text) => IdPrefix.TryParse(text, out var prefix) ? prefix : throw new ArgumentException(text);
}
