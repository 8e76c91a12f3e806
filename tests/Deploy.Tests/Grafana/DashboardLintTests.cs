using System.Text.Json.Nodes;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Grafana;

public sealed class DashboardLintTests
{
    public static TheoryData<string> ShippedDashboards() =>
        new(Directory.GetFiles(RepositoryFiles.Find(DashboardFile.Folder), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!);

    [Theory]
    [MemberData(nameof(ShippedDashboards))]
    public void A_shipped_dashboard_follows_the_lint_rules(string file)
    {
        var problems = DashboardLinter.Lint(DashboardFile.Load(Path.Combine(RepositoryFiles.Find(DashboardFile.Folder), file)));

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_shipped_dashboards_have_the_documented_uids()
    {
        var uids = DashboardFile.LoadAll(RepositoryFiles.Find(DashboardFile.Folder)).Select(dashboard => (string?)dashboard.Root["uid"]);

        Assert.Equal(["sweeprunner-cluster", "sweeprunner-loss-curves", "sweeprunner-sweep"], uids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_dashboard_breaking_every_rule_gets_a_problem_for_each_naming_file_and_panel()
    {
        var dashboard = new DashboardFile("broken.json", JsonNode.Parse("""
            {
              "uid": "broken", "schemaVersion": 39,
              "templating": { "list": [
                { "name": "datasource", "type": "datasource", "query": "prometheus" },
                { "name": "job", "type": "query", "multi": false, "includeAll": true,
                  "datasource": { "type": "prometheus", "uid": "${datasource}" }, "query": "label_values(up, job)" }
              ] },
              "panels": [
                { "id": 1, "type": "timeseries", "title": "Fixed source", "datasource": { "type": "prometheus", "uid": "sweeprunner-prometheus" },
                  "fieldConfig": { "defaults": { "unit": "s" } },
                  "targets": [ { "refId": "A", "expr": "sweeprunner_queue_depth{job=~\"$job\"}" } ] },
                { "id": 2, "type": "timeseries", "title": "", "datasource": { "type": "prometheus", "uid": "${datasource}" },
                  "targets": [ { "refId": "A", "expr": "sum by (le) (rate(sweeprunner_epoch_duration_seconds_bucket{job=~\"$job\"}[5m]))" } ] },
                { "id": 3, "type": "stat", "title": "Bare counter", "datasource": { "type": "prometheus", "uid": "$datasource" },
                  "fieldConfig": { "defaults": { "unit": "none" } },
                  "targets": [ { "refId": "A", "expr": "sweeprunner_trial_leases_total{job=~\"$job\"} - sweeprunner_active_leases{sweep=\"x\"}" } ] }
              ]
            }
            """)!.AsObject());

        var problems = DashboardLinter.Lint(dashboard);

        Assert.Equal(
            [
                "broken.json: variable job: not multi-valued",
                "broken.json: panel \"Fixed source\" (id 1): data source {\"type\":\"prometheus\",\"uid\":\"sweeprunner-prometheus\"} is not a variable ($datasource)",
                "broken.json: panel \"\" (id 2): no title",
                "broken.json: panel \"\" (id 2): no unit (fieldConfig.defaults.unit)",
                "broken.json, panel \"\" A: rate() over [5m], not [$__rate_interval]: sweeprunner_epoch_duration_seconds_bucket{job=~\"$job\"}[5m]",
                "broken.json, panel \"Bare counter\" A: counter sweeprunner_trial_leases_total outside rate()/increase()/irate()",
                "broken.json, panel \"Bare counter\" A: selector sweeprunner_active_leases{sweep=\"x\"} lacks job=~\"$job\"",
            ],
            problems);
    }

    [Fact]
    public void A_dashboard_without_the_variables_gets_a_problem_for_each()
    {
        var dashboard = new DashboardFile("bare.json", JsonNode.Parse("""{ "uid": "bare", "schemaVersion": 27, "panels": [] }""")!.AsObject());

        Assert.Equal(
            ["bare.json: dashboard: schemaVersion below 39 (Grafana 11)", "bare.json: dashboard: no variable datasource of type datasource"],
            DashboardLinter.Lint(dashboard));
    }

    [Theory]
    [InlineData("""histogram_quantile(0.95, sum by (le, worker) (rate(x_bucket{job=~"$job"}[$__rate_interval])))""", "x_bucket", "rate", "$__rate_interval")]
    [InlineData("""sum(increase(x_total{job=~"$job", a="}"}[$__rate_interval])) by (a)""", "x_total", "increase", "$__rate_interval")]
    [InlineData("""60 * sum without (instance) (x{job=~"$job"}) > bool 3""", "x", "sum", null)]
    [InlineData("""a:b:c{job=~"$job"} and on (sweep, trial) (y >= 3)""", "a:b:c", null, null)]
    [InlineData("""max_over_time(x{job=~"$job"}[1h] offset 5m)""", "x", "max_over_time", "1h")]
    public void The_scanner_finds_the_first_selector_with_its_function_and_range(string expression, string metric, string? function, string? range)
    {
        var selector = PromQlSelectors.Find(expression)[0];

        Assert.Equal((metric, function, range), (selector.Metric, selector.Function, selector.Range));
    }

    [Fact]
    public void The_scanner_skips_label_lists_keywords_and_numbers()
    {
        var selectors = PromQlSelectors.Find("""sum by (le) (a{x="1"}) / on (job) group_left (instance) b offset 5m or vector(1) unless c < inf""");

        Assert.Equal(["a", "b", "c"], selectors.Select(selector => selector.Metric));
    }
}
