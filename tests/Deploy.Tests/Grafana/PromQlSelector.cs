namespace SweepRunner.Deploy.Tests.Grafana;

/// <summary>
/// A metric selector in a PromQL expression: the metric's name, the text between its braces (the label matchers, ""
/// when none), the function it is a direct argument of (null at the top level or inside plain parentheses), and its
/// range (the text between brackets, null for an instant selector).
/// </summary>
public sealed record PromQlSelector(string Metric, string Matchers, string? Function, string? Range)
{
    public override string ToString() => $"{Metric}{{{Matchers}}}{(Range is null ? "" : $"[{Range}]")}";
}
