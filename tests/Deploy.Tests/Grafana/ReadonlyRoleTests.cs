using Npgsql;
using SweepRunner.Common;

namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>
/// deploy/grafana/readonly-role.sql on a real PostgreSQL with the store's schema: the role it creates reads every
/// dashboard query's rows, and writes nothing.
/// </summary>
public sealed class ReadonlyRoleTests(ReadonlyStoreFixture store) : IClassFixture<ReadonlyStoreFixture>
{
    private const string InsufficientPrivilege = "42501";

    public static TheoryData<string, string> VariableValues() => new()
    {
        { "test", "total" },
        { "test", "recon" },
        { "train", "kl" },
    };

    [Theory]
    [MemberData(nameof(VariableValues))]
    public async Task Every_dashboard_sql_query_returns_rows_to_the_read_only_role(string split, string component)
    {
        await ReadonlyStoreFixture.AssertEveryDashboardQueryReturnsRowsAsync(store.RoleConnectionString, Variables(split, component));
    }

    [Fact]
    public async Task The_loss_curves_give_the_chosen_term_of_the_chosen_split_per_epoch_named_model_loss_beta()
    {
        var query = DashboardQueries.LoadShipped().Sql(Variables("train", "recon")).Single(query => query.Origin.StartsWith("panel \"Loss by epoch", StringComparison.Ordinal));

        var rows = await ReadonlyStoreFixture.QueryAsync(store.RoleConnectionString, query.Text);

        string[] names = ["mlp · bce · β=1 (trial 1)", "cnn · mse · β=4 (trial 2)", "mlp · bce · β=1 (trial 3)"];
        var expected = Enumerable.Range(1, names.Length)
            .SelectMany(trial => Enumerable.Range(1, ReadonlyStoreFixture.Epochs).Select(epoch => (names[trial - 1], epoch, ReadonlyStoreFixture.Losses(trial, epoch, MetricSplit.Train).Recon)));
        Assert.Equal(expected, rows.Select(row => ((string)row["trial"]!, (int)row["epoch"]!, (double)row["loss"]!)));
    }

    [Fact]
    public async Task The_rate_distortion_plane_has_one_point_per_finished_trial()
    {
        var query = DashboardQueries.LoadShipped().Sql(Variables("test", "total")).Single(query => query.Origin.StartsWith("panel \"Rate–distortion", StringComparison.Ordinal));

        var rows = await ReadonlyStoreFixture.QueryAsync(store.RoleConnectionString, query.Text);

        var last = Enumerable.Range(1, 2).Select(trial => ReadonlyStoreFixture.Losses(trial, ReadonlyStoreFixture.Epochs, MetricSplit.Test)).ToList();
        Assert.Equal(last.Select(losses => (losses.Kl, losses.Recon)), rows.Select(row => ((double)row["kl"]!, (double)row["reconstruction"]!)));
    }

    [Theory]
    [InlineData("INSERT INTO sweeps (id) VALUES (gen_random_uuid())")]
    [InlineData("UPDATE trials SET status = 'failed'")]
    [InlineData("DELETE FROM epoch_metrics")]
    [InlineData("DELETE FROM checkpoints")]
    public async Task The_read_only_role_cannot_write(string sql)
    {
        var error = await Assert.ThrowsAsync<PostgresException>(() => ReadonlyStoreFixture.ExecuteAsync(store.RoleConnectionString, sql));

        Assert.Equal(InsufficientPrivilege, error.SqlState);
    }

    [Fact]
    public async Task A_table_the_owner_creates_later_is_readable_by_default_privileges()
    {
        await ReadonlyStoreFixture.ExecuteAsync(store.OwnerConnectionString, "CREATE TABLE later_table (x integer); INSERT INTO later_table VALUES (1)");

        var rows = await ReadonlyStoreFixture.QueryAsync(store.RoleConnectionString, "SELECT x FROM later_table");

        Assert.Equal([1], rows.Select(row => (int)row["x"]!));
    }

    private Dictionary<string, string> Variables(string split, string component) => new()
    {
        ["sweep"] = store.SweepId.ToString(),
        ["split"] = split,
        ["component"] = component,
    };
}
