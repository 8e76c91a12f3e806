using System.Globalization;
using System.Text.Json.Nodes;
using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Schema;
using SweepRunner.Storage.Sweeps;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Cli.Tests;

/// <summary>
/// Short ids, as git and docker have them: tables show 8 characters, every command takes an id's unique start back
/// (an ambiguous one exits 2 naming the candidates, none exits 3); and the client options before the subcommand.
/// </summary>
public sealed class ShortIdCommandTests(InProcessCoordinator coordinator) : IClassFixture<InProcessCoordinator>
{
    private const string BetaGrid = "method: grid\nparameters:\n  beta:\n    values: [1, 4]\n";

    [Fact]
    public async Task Coordinator_and_token_go_before_the_subcommand_as_well_as_after_it()
    {
        var before = await Sweep.RunAsync("--coordinator", coordinator.Url, "--token", "unused", "status", "--json");
        var after = await Sweep.RunAsync("status", "--json", "--coordinator", coordinator.Url);
        var unreachable = await Sweep.RunAsync("--coordinator", "http://127.0.0.1:1", "status");

        Assert.True(before.ExitCode == ExitCodes.Ok, before.Error);
        Assert.Equal(JsonNode.Parse(after.Output)!.AsArray().Count, JsonNode.Parse(before.Output)!.AsArray().Count);
        Assert.Equal(ExitCodes.Unreachable, unreachable.ExitCode);
    }

    [Fact]
    public async Task The_status_table_shows_8_characters_of_an_id_and_every_command_takes_them_back()
    {
        var id = await SubmitAsync();
        string shortId = id.ToString()[..8];

        var table = await Sweep.RunAsync("status", "--coordinator", coordinator.Url);
        var detail = await Sweep.RunAsync("--coordinator", coordinator.Url, "status", shortId.ToUpperInvariant(), "--json");
        var best = await Sweep.RunAsync("best", shortId, "--coordinator", coordinator.Url);
        var cancel = await Sweep.RunAsync("cancel", id.ToString()[..13], "--coordinator", coordinator.Url);

        Assert.Contains(table.Output.Split('\n'), line => line.TrimStart().StartsWith(shortId + " ", StringComparison.Ordinal));
        Assert.DoesNotContain(id.ToString(), table.Output, StringComparison.Ordinal);
        Assert.Equal(id.ToString(), (string?)JsonNode.Parse(detail.Output)!["sweep"]!["id"]);
        Assert.Equal(ExitCodes.NotFound, best.ExitCode);
        Assert.Contains($"sweep {id} has no trial", best.Error, StringComparison.Ordinal);
        Assert.True(cancel.ExitCode == ExitCodes.Ok, cancel.Error);
        Assert.Contains($"sweep {id}", cancel.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_ambiguous_start_exits_2_naming_the_candidates_and_one_that_matches_nothing_exits_3()
    {
        // 17 sweeps at least: two of them share their first hex digit.
        for (int i = 0; i < 17; i++) await SubmitAsync();
        var ids = (await coordinator.Service<SweepStore>().ListAsync(limit: 1000)).Select(sweep => sweep.Id.ToString()).ToList();
        var shared = ids.GroupBy(id => id[..1]).First(group => group.Count() > 1);
        string absent = Enumerable.Range(0, 16).Select(digit => digit.ToString("x", CultureInfo.InvariantCulture) + "0000000")
            .First(prefix => !ids.Exists(id => id.StartsWith(prefix, StringComparison.Ordinal)));

        var ambiguous = await Sweep.RunAsync("status", shared.Key, "--coordinator", coordinator.Url);
        var none = await Sweep.RunAsync("watch", absent, "--coordinator", coordinator.Url);
        var malformed = await Sweep.RunAsync("status", "0196f3b2x", "--coordinator", coordinator.Url);

        Assert.Equal(ExitCodes.BadInput, ambiguous.ExitCode);
        Assert.Contains($"sweep id {shared.Key} is ambiguous: {shared.Order(StringComparer.Ordinal).First()}", ambiguous.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.NotFound, none.ExitCode);
        Assert.Contains($"no sweep id starts with {absent}", none.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.BadInput, malformed.ExitCode);
    }

    [Fact]
    public async Task Report_from_a_database_takes_a_short_id_resolved_against_that_database()
    {
        using var temp = new TempDirectory();
        string db = temp.File("store.db");
        var contexts = new SweepDbContextFactory(StorageConnection.Parse(db, temp.Path));
        await new SchemaMigrator(contexts).MigrateAsync(new SchemaOptions());
        var sweep = await new SweepStore(contexts, TimeProvider.System).CreateAsync(
            new NewSweep("short", BetaGrid, "grid", "test.total", MetricGoal.Minimize, SweepSpecJson.Write(SweepSpecParser.Parse(BetaGrid, "beta.yaml").Spec)), [new NewTrial("""{"beta":1.0}""", "one")]);

        var report = await Sweep.RunAsync("report", sweep.Id.ToString()[..8], "--db", db, "--out", temp.File("report"));
        var none = await Sweep.RunAsync("report", sweep.Id.ToString()[..8] == "00000000" ? "ffffffff" : "00000000", "--db", db, "--out", temp.File("none"));

        Assert.True(report.ExitCode == ExitCodes.Ok, report.Error);
        Assert.True(File.Exists(temp.File("report/index.html")));
        Assert.Equal(ExitCodes.NotFound, none.ExitCode);
        Assert.Contains("no sweep id starts with", none.Error, StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private async Task<Guid> SubmitAsync()
    {
        using var temp = new TempDirectory();
        string spec = temp.File("grid.yaml");
        await File.WriteAllTextAsync(spec, BetaGrid);
        var result = await Sweep.RunAsync("submit", spec, "--coordinator", coordinator.Url, "--json");
        Assert.True(result.ExitCode == ExitCodes.Ok, result.Error);
        return Guid.Parse((string)JsonNode.Parse(result.Output)!["sweep_id"]!);
    }
}
