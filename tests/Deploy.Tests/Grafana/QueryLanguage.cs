namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>The language of a dashboard query: PromQL for the Prometheus data source, SQL for the PostgreSQL one.</summary>
public enum QueryLanguage
{
    PromQl,
    Sql,
}
