namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>
/// One query of a dashboard: a panel target (<paramref name="Origin"/> = panel "TITLE", <paramref name="RefId"/> = A, B, …)
/// or a query variable's query (variable NAME, RefId empty), with its text as the file has it or with the template
/// variables substituted.
/// </summary>
public sealed record DashboardQuery(string Dashboard, string Origin, string RefId, QueryLanguage Language, string Text)
{
    /// <summary>Where the query is, for messages: sweep.json, panel "Test loss per trial" A.</summary>
    public string Location => RefId.Length == 0 ? $"{Dashboard}, {Origin}" : $"{Dashboard}, {Origin} {RefId}";

    public override string ToString() => $"{Location}: {Text}";
}
