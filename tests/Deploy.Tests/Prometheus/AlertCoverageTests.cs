using YamlDotNet.RepresentationModel;
using static SweepRunner.Deploy.Tests.YamlTree;

namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>
/// Every alert of deploy/prometheus/rules is complete (severity, summary, description) and has a promtool unit test in
/// deploy/prometheus/tests where it fires and one where it does not. The files are read as YAML node trees.
/// </summary>
public sealed class AlertCoverageTests
{
    private static readonly string[] Severities = ["info", "warning", "critical"];

    [Fact]
    public void Every_alert_has_a_severity_a_summary_and_a_description()
    {
        var alerts = Alerts().ToList();

        Assert.Equal(["LatentDimensionCollapsed", "PosteriorCollapse", "TrialDiverged", "NoWorkersWhilePending", "LeasesExpiring"], alerts.Select(alert => alert.Name));
        Assert.All(alerts, alert =>
        {
            Assert.Contains(Scalar(alert.Rule, "labels", "severity"), Severities);
            Assert.False(string.IsNullOrWhiteSpace(Scalar(alert.Rule, "annotations", "summary")), $"{alert.Name}: no summary");
            Assert.False(string.IsNullOrWhiteSpace(Scalar(alert.Rule, "annotations", "description")), $"{alert.Name}: no description");
        });
    }

    [Theory]
    [InlineData("LatentDimensionCollapsed")]
    [InlineData("PosteriorCollapse")]
    public void A_trial_alert_names_the_sweep_the_trial_and_beta(string alert)
    {
        var rule = Alerts().Single(candidate => candidate.Name == alert).Rule;

        foreach (var label in new[] { "$labels.sweep_name", "$labels.trial", "$labels.beta" })
        {
            Assert.Contains(label, Scalar(rule, "annotations", "summary"), StringComparison.Ordinal);
            Assert.Contains(label, Scalar(rule, "annotations", "description"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Every_alert_is_unit_tested_firing_and_not_firing()
    {
        var cases = PrometheusFiles.RuleTestFiles
            .SelectMany(file => Sequence(Load(file), "tests"))
            .SelectMany(test => Sequence(test, "alert_rule_test"))
            .Select(test => (Alert: Scalar(test, "alertname"), Fires: Sequence(test, "exp_alerts").Any()))
            .ToList();

        Assert.All(Alerts(), alert =>
        {
            Assert.True(cases.Contains((alert.Name, true)), $"{alert.Name}: no test where it fires");
            Assert.True(cases.Contains((alert.Name, false)), $"{alert.Name}: no test where it does not fire");
        });
    }

    private static IEnumerable<(string Name, YamlMappingNode Rule)> Alerts() =>
        PrometheusFiles.RuleFiles
            .SelectMany(file => Sequence(Load(file), "groups"))
            .SelectMany(group => Sequence(group, "rules"))
            .Where(rule => rule.Children.ContainsKey(new YamlScalarNode("alert")))
            .Select(rule => (Scalar(rule, "alert"), rule));

}
