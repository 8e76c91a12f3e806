using System.Text.Json.Nodes;
using SweepRunner.Deploy.Tests.Grafana;

namespace SweepRunner.Deploy.Tests.Grafana;

public sealed class DashboardQueriesTests
{
    private static readonly Dictionary<string, string> Values = new()
    {
        ["job"] = "sweeprunner-.*",
        ["sweep"] = "3f9c2a7e-0000-4000-8000-000000000001",
        ["sweep_name"] = "beta sweep",
    };

    [Fact]
    public void Every_variable_syntax_is_substituted()
    {
        string query = DashboardQueries.SubstitutePromQl("""x{job=~"$job", a="${sweep}", b="${sweep:regex}", c="[[sweep]]", d="[[job:pipe]]"}""", Values);

        Assert.Equal("""x{job=~"sweeprunner-.*", a="3f9c2a7e-0000-4000-8000-000000000001", b="3f9c2a7e-0000-4000-8000-000000000001", c="3f9c2a7e-0000-4000-8000-000000000001", d="sweeprunner-.*"}""", query);
    }

    [Fact]
    public void A_variable_whose_name_starts_with_another_is_not_mistaken_for_it()
    {
        Assert.Equal("beta sweep / 3f9c2a7e-0000-4000-8000-000000000001", DashboardQueries.SubstitutePromQl("$sweep_name / $sweep", Values));
    }

    [Fact]
    public void Interval_variables_have_defaults_that_the_map_overrides()
    {
        const string query = "rate(x[$__rate_interval]) + rate(x[$__interval]) + increase(x[$__range])";

        Assert.Equal("rate(x[1m]) + rate(x[15s]) + increase(x[1h])", DashboardQueries.SubstitutePromQl(query, Values));
        Assert.Equal("rate(x[10s]) + rate(x[15s]) + increase(x[1h])",
            DashboardQueries.SubstitutePromQl(query, new Dictionary<string, string> { ["__rate_interval"] = "10s" }));
    }

    [Fact]
    public void A_variable_without_a_value_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => DashboardQueries.SubstitutePromQl("""x{model=~"$model"}""", Values));

        Assert.Contains("$model", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sql_macros_are_replaced_and_values_are_quoted_for_sql()
    {
        string query = DashboardQueries.SubstituteSql(
            "SELECT 1 FROM sweeps WHERE $__timeFilter(created_at) AND created_at BETWEEN $__timeFrom() AND $__timeTo() AND name = '$sweep_name'",
            new Dictionary<string, string> { ["sweep_name"] = "it's" });

        Assert.Equal("SELECT 1 FROM sweeps WHERE TRUE AND created_at BETWEEN '-infinity'::timestamptz AND 'infinity'::timestamptz AND name = 'it''s'", query);
    }

    [Fact]
    public void An_unknown_sql_macro_is_refused_by_name()
    {
        var error = Assert.Throws<NotSupportedException>(() => DashboardQueries.SubstituteSql("SELECT $__timeGroup(created_at, '1m')", Values));

        Assert.Contains("$__timeGroup()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Panel_targets_and_variable_queries_are_listed_with_where_they_are()
    {
        var dashboard = new DashboardFile("test.json", JsonNode.Parse("""
            {
              "templating": { "list": [
                { "name": "datasource", "type": "datasource", "query": "prometheus" },
                { "name": "job", "type": "query", "datasource": { "type": "prometheus", "uid": "${datasource}" },
                  "query": { "query": "label_values(up{job=~\"sweeprunner-.*\"}, job)", "refId": "V" } },
                { "name": "sweep", "type": "query", "datasource": { "type": "prometheus", "uid": "${datasource}" },
                  "query": "query_result(max by (sweep) (sweeprunner_sweep_trials{job=~\"$job\"}))" },
                { "name": "instance", "type": "query", "datasource": { "type": "prometheus", "uid": "${datasource}" },
                  "query": "label_values(instance)" }
              ] },
              "panels": [
                { "type": "row", "title": "row", "panels": [
                  { "id": 1, "type": "timeseries", "title": "Queue", "datasource": { "type": "prometheus", "uid": "${datasource}" },
                    "targets": [ { "refId": "A", "expr": "sum(sweeprunner_queue_depth{job=~\"$job\"})" } ] } ] },
                { "id": 2, "type": "table", "title": "Trials", "datasource": { "type": "grafana-postgresql-datasource", "uid": "${datasource}" },
                  "targets": [ { "refId": "A", "rawSql": "SELECT 1 WHERE $__timeFilter(created_at)" } ] }
              ]
            }
            """)!.AsObject());

        var queries = DashboardQueries.Load([dashboard]);

        Assert.Equal(
            [
                "test.json, variable job: up{job=~\"sweeprunner-.*\"}",
                "test.json, variable sweep: max by (sweep) (sweeprunner_sweep_trials{job=~\"$job\"})",
                "test.json, panel \"Queue\" A: sum(sweeprunner_queue_depth{job=~\"$job\"})",
                "test.json, panel \"Trials\" A: SELECT 1 WHERE $__timeFilter(created_at)",
            ],
            queries.All.Select(query => query.ToString()));
        Assert.Equal(["SELECT 1 WHERE TRUE"], queries.Sql(Values).Select(query => query.Text));
        Assert.Equal("sum(sweeprunner_queue_depth{job=~\"sweeprunner-.*\"})", queries.PromQl(Values)[2].Text);
    }

    [Fact]
    public void A_missing_value_in_a_listed_query_names_the_query()
    {
        var error = Assert.Throws<InvalidDataException>(() => DashboardQueries.LoadShipped().PromQl(new Dictionary<string, string>()));

        Assert.Contains("cluster.json, panel \"Workers connected\" A: no value for the variable $job", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_dashboards_have_queries_in_both_languages_and_no_unsubstituted_variable()
    {
        var queries = DashboardQueries.LoadShipped();
        var variables = new Dictionary<string, string>(Values)
        {
            ["model"] = ".*",
            ["split"] = "test",
            ["component"] = "total",
        };

        var promQl = queries.PromQl(variables);
        var sql = queries.Sql(variables);

        Assert.True(promQl.Count >= 30, $"{promQl.Count} PromQL queries");
        Assert.True(sql.Count >= 4, $"{sql.Count} SQL queries");
        Assert.All(promQl.Concat(sql), query => Assert.DoesNotContain("$", query.Text, StringComparison.Ordinal));
        Assert.Equal(["cluster.json", "loss-curves.json", "sweep.json"], queries.All.Select(query => query.Dashboard).Distinct().Order(StringComparer.Ordinal));
    }
}
