using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>
/// The rules of Grafana's dashboard-linter that SweepRunner's dashboards follow (the linter itself cannot be installed
/// here), checked on the JSON: a <c>datasource</c> variable of type datasource; on Prometheus dashboards a <c>job</c>
/// query variable, multi-valued with All; every panel titled, with a unit and a data source that is a variable; every
/// PromQL selector filtered by <c>job=~"$job"</c>; rate/increase/irate over <c>[$__rate_interval]</c>; counters
/// (<c>_total</c>, <c>_bucket</c>, <c>_count</c>, <c>_sum</c>) only inside rate/increase/irate. Each problem says
/// the file, the panel or variable, and what is wrong.
/// </summary>
public static partial class DashboardLinter
{
    public const int MinimumSchemaVersion = 39;

    private static readonly HashSet<string> RateFunctions = ["rate", "increase", "irate"];

    private static readonly string[] CounterSuffixes = ["_total", "_bucket", "_count", "_sum"];

    public static IReadOnlyList<string> Lint(DashboardFile dashboard)
    {
        ArgumentNullException.ThrowIfNull(dashboard);
        var problems = new List<string>();
        void Report(string where, string what) => problems.Add($"{dashboard.Name}: {where}: {what}");

        if (string.IsNullOrEmpty((string?)dashboard.Root["uid"])) Report("dashboard", "no uid");
        if ((int?)dashboard.Root["schemaVersion"] is not >= MinimumSchemaVersion) Report("dashboard", $"schemaVersion below {MinimumSchemaVersion} (Grafana 11)");

        var datasource = dashboard.Variable("datasource");
        if ((string?)datasource?["type"] != "datasource") Report("dashboard", "no variable datasource of type datasource");
        bool prometheus = (string?)datasource?["query"] == "prometheus";
        if (prometheus) LintJobVariable(dashboard.Variable("job"), Report);

        var ids = new HashSet<int>();
        foreach (var panel in dashboard.Panels)
        {
            string where = DashboardFile.Describe(panel);
            if (string.IsNullOrWhiteSpace((string?)panel["title"])) Report(where, "no title");
            if ((int?)panel["id"] is not { } id || !ids.Add(id)) Report(where, "no id, or the id of another panel");
            if (string.IsNullOrWhiteSpace((string?)panel["fieldConfig"]?["defaults"]?["unit"])) Report(where, "no unit (fieldConfig.defaults.unit)");
            if (!IsDatasourceVariable(panel["datasource"])) Report(where, $"data source {panel["datasource"]?.ToJsonString() ?? "(none)"} is not a variable ($datasource)");
            foreach (var target in (panel["targets"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (target["datasource"] is { } targetSource && !IsDatasourceVariable(targetSource))
                    Report($"{where} {(string?)target["refId"]}", $"data source {targetSource.ToJsonString()} is not a variable ($datasource)");
            }
        }

        foreach (var query in DashboardQueries.Load([dashboard]).All.Where(query => query.Language == QueryLanguage.PromQl))
        {
            // The job variable lists the jobs: it cannot filter by itself.
            bool needsJob = query.Origin != "variable job";
            foreach (var problem in LintPromQl(query.Text, needsJob)) problems.Add($"{query.Location}: {problem}");
        }
        return problems;
    }

    /// <summary>The problems of one PromQL expression: selectors without the job filter, rates not over $__rate_interval, bare counters.</summary>
    public static IEnumerable<string> LintPromQl(string expression, bool needsJob = true)
    {
        foreach (var selector in PromQlSelectors.Find(expression))
        {
            if (needsJob && !JobFilter().IsMatch(selector.Matchers))
                yield return $"selector {selector} lacks job=~\"$job\"";
            bool inRate = selector.Function is { } function && RateFunctions.Contains(function);
            if (inRate && selector.Range != "$__rate_interval")
                yield return $"{selector.Function}() over [{selector.Range}], not [$__rate_interval]: {selector}";
            if (!inRate && CounterSuffixes.Any(suffix => selector.Metric.EndsWith(suffix, StringComparison.Ordinal)))
                yield return $"counter {selector.Metric} outside rate()/increase()/irate()";
        }
    }

    private static void LintJobVariable(JsonObject? job, Action<string, string> report)
    {
        if (job is null)
        {
            report("dashboard", "a Prometheus dashboard without a job variable");
            return;
        }
        if ((string?)job["type"] != "query") report("variable job", "not a query variable");
        if ((bool?)job["multi"] != true) report("variable job", "not multi-valued");
        if ((bool?)job["includeAll"] != true) report("variable job", "no All option (includeAll)");
    }

    private static bool IsDatasourceVariable(JsonNode? datasource) =>
        (string?)datasource?["uid"] is "$datasource" or "${datasource}";

    [GeneratedRegex("""(?<![\w])job\s*=~\s*"\$job"(?=\s*(,|$))""")]
    private static partial Regex JobFilter();
}
