using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using SweepRunner.TestSupport;

namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>
/// Every query of a set of dashboards (panel targets and query variables), as written or with Grafana's template
/// variables substituted the way Grafana does before sending them, so that tests can run them on a real Prometheus
/// or PostgreSQL. Variables: <c>$name</c>, <c>${name}</c>, <c>${name:format}</c>, <c>[[name]]</c> (the format is
/// ignored: the caller gives the final text); Grafana's interval variables default to <see cref="BuiltIns"/>; in SQL,
/// values are quoted as Grafana quotes a single-valued variable (<c>'</c> doubled) and the SQL macros the dashboards
/// use are replaced (<c>$__timeFilter(column)</c> by TRUE, <c>$__timeFrom()</c>/<c>$__timeTo()</c> by unbounded
/// timestamps). A variable without a value, or a macro not known here, throws, naming it and the query.
/// </summary>
public sealed partial class DashboardQueries
{
    /// <summary>Grafana's interval variables, as a 15 s scrape interval and a 1 h time range make them; a caller's map overrides them.</summary>
    public static readonly IReadOnlyDictionary<string, string> BuiltIns = new Dictionary<string, string>
    {
        ["__rate_interval"] = "1m",
        ["__interval"] = "15s",
        ["__range"] = "1h",
    };

    // By name; the arguments (timeFilter's column) do not matter: every row is in the range.
    private static readonly Dictionary<string, string> SqlMacros = new()
    {
        ["timeFilter"] = "TRUE",
        ["timeFrom"] = "'-infinity'::timestamptz",
        ["timeTo"] = "'infinity'::timestamptz",
    };

    private DashboardQueries(IReadOnlyList<DashboardQuery> all)
    {
        All = all;
    }

    /// <summary>Every query as the files have it, in file order: each dashboard's variables, then its panels.</summary>
    public IReadOnlyList<DashboardQuery> All { get; }

    /// <summary>The queries of the repository's deploy/grafana/dashboards.</summary>
    public static DashboardQueries LoadShipped() => Load(DashboardFile.LoadAll(RepositoryFiles.Find(DashboardFile.Folder)));

    public static DashboardQueries Load(IEnumerable<DashboardFile> dashboards) =>
        new(dashboards.SelectMany(dashboard => VariableQueries(dashboard).Concat(PanelQueries(dashboard))).ToList());

    /// <summary>The PromQL queries with <paramref name="variables"/> (names without $) and the built-ins substituted.</summary>
    public IReadOnlyList<DashboardQuery> PromQl(IReadOnlyDictionary<string, string> variables) => Substituted(QueryLanguage.PromQl, variables);

    /// <summary>The SQL queries with the macros replaced and <paramref name="variables"/> substituted, quoted for SQL.</summary>
    public IReadOnlyList<DashboardQuery> Sql(IReadOnlyDictionary<string, string> variables) => Substituted(QueryLanguage.Sql, variables);

    /// <summary>Substitutes the template variables of one PromQL query.</summary>
    public static string SubstitutePromQl(string query, IReadOnlyDictionary<string, string> variables) =>
        SubstituteVariables(query, variables, value => value);

    /// <summary>Replaces the SQL macros of one SQL query, then substitutes its template variables, quoted for SQL.</summary>
    public static string SubstituteSql(string query, IReadOnlyDictionary<string, string> variables)
    {
        ArgumentNullException.ThrowIfNull(query);
        string expanded = MacroPattern().Replace(query, macro =>
            SqlMacros.TryGetValue(macro.Groups["name"].Value, out var expansion)
                ? expansion
                : throw new NotSupportedException($"SQL macro $__{macro.Groups["name"].Value}() is not substituted by the tests; add it to {nameof(DashboardQueries)}"));
        return SubstituteVariables(expanded, variables, value => value.Replace("'", "''", StringComparison.Ordinal));
    }

    private List<DashboardQuery> Substituted(QueryLanguage language, IReadOnlyDictionary<string, string> variables) =>
        All.Where(query => query.Language == language)
            .Select(query =>
            {
                try
                {
                    return query with { Text = language == QueryLanguage.PromQl ? SubstitutePromQl(query.Text, variables) : SubstituteSql(query.Text, variables) };
                }
                catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
                {
                    throw new InvalidDataException($"{query.Location}: {ex.Message}", ex);
                }
            })
            .ToList();

    private static string SubstituteVariables(string query, IReadOnlyDictionary<string, string> variables, Func<string, string> quote)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(variables);
        return VariablePattern().Replace(query, reference =>
        {
            string name = reference.Groups["name"].Value;
            return variables.TryGetValue(name, out var value) || BuiltIns.TryGetValue(name, out value)
                ? quote(value)
                : throw new ArgumentException($"no value for the variable ${name}", nameof(variables));
        });
    }

    private static IEnumerable<DashboardQuery> VariableQueries(DashboardFile dashboard)
    {
        foreach (var variable in dashboard.Variables.Where(variable => (string?)variable["type"] == "query"))
        {
            string origin = $"variable {(string?)variable["name"]}";
            var language = LanguageOf(variable["datasource"], dashboard, origin);
            // Grafana 11 stores a Prometheus variable's query as an object, other data sources' as text.
            string text = (variable["query"] is JsonObject editor ? (string?)editor["query"] : (string?)variable["query"])
                ?? throw new InvalidDataException($"{dashboard.Name}, {origin}: no query");
            string? query = language == QueryLanguage.PromQl ? PromQlOfVariable(text, $"{dashboard.Name}, {origin}") : text;
            if (query is not null) yield return new DashboardQuery(dashboard.Name, origin, "", language, query);
        }
    }

    private static IEnumerable<DashboardQuery> PanelQueries(DashboardFile dashboard)
    {
        foreach (var panel in dashboard.Panels)
        {
            string origin = $"panel \"{(string?)panel["title"]}\"";
            foreach (var target in (panel["targets"] as JsonArray ?? []).OfType<JsonObject>())
            {
                string refId = (string?)target["refId"] ?? "";
                var language = LanguageOf(target["datasource"] ?? panel["datasource"], dashboard, $"{origin} {refId}");
                string text = (string?)target[language == QueryLanguage.PromQl ? "expr" : "rawSql"]
                    ?? throw new InvalidDataException($"{dashboard.Name}, {origin} {refId}: no query");
                yield return new DashboardQuery(dashboard.Name, origin, refId, language, text);
            }
        }
    }

    // Grafana's Prometheus variable functions around a PromQL query: label_values(QUERY, label), query_result(QUERY).
    // label_values(label) has no query of its own.
    private static string? PromQlOfVariable(string text, string where)
    {
        if (LabelValuesOfLabelPattern().IsMatch(text)) return null;
        var match = LabelValuesPattern().Match(text);
        if (!match.Success) match = QueryResultPattern().Match(text);
        return match.Success ? match.Groups["query"].Value.Trim()
            : throw new InvalidDataException($"{where}: a variable query other than label_values(…) or query_result(…): {text}");
    }

    private static QueryLanguage LanguageOf(JsonNode? datasource, DashboardFile dashboard, string where) =>
        (string?)datasource?["type"] switch
        {
            "prometheus" => QueryLanguage.PromQl,
            "grafana-postgresql-datasource" or "postgres" => QueryLanguage.Sql,
            var type => throw new InvalidDataException($"{dashboard.Name}, {where}: data source type {type ?? "(none)"}, neither prometheus nor grafana-postgresql-datasource"),
        };

    [GeneratedRegex(@"\$\{(?<name>\w+)(?::[^}]*)?\}|\[\[(?<name>\w+)(?::[^\]]*)?\]\]|\$(?<name>\w+)")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"\$__(?<name>\w+)\([^)]*\)")]
    private static partial Regex MacroPattern();

    [GeneratedRegex(@"^\s*label_values\(\s*(?<query>.+),\s*\w+\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LabelValuesPattern();

    [GeneratedRegex(@"^\s*label_values\(\s*\w+\s*\)\s*$")]
    private static partial Regex LabelValuesOfLabelPattern();

    [GeneratedRegex(@"^\s*query_result\((?<query>.+)\)\s*$", RegexOptions.Singleline)]
    private static partial Regex QueryResultPattern();
}
