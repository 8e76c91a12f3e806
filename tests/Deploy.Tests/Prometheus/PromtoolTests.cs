namespace SweepRunner.Deploy.Tests.Prometheus;

/// <summary>The shipped configuration, rules and alert unit tests, checked by the real promtool; and proof that the checks bite.</summary>
public sealed class PromtoolTests
{
    [Fact]
    public async Task The_configuration_is_valid_and_loads_the_rule_files()
    {
        var result = await Promtool.RunAsync("check", "config", Path.Combine(PrometheusFiles.Folder, "prometheus.yml"));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"SUCCESS: {PrometheusFiles.RuleFiles.Length} rule files found", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rules_are_valid()
    {
        var result = await Promtool.RunAsync(["check", "rules", .. PrometheusFiles.RuleFiles]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.NotEmpty(PrometheusFiles.RuleFiles);
    }

    [Fact]
    public async Task The_alerts_pass_their_unit_tests()
    {
        var result = await Promtool.RunAsync(["test", "rules", .. PrometheusFiles.RuleTestFiles]);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.NotEmpty(PrometheusFiles.RuleTestFiles);
    }

    [Fact]
    public async Task A_rule_that_does_not_parse_fails_the_check_naming_its_file()
    {
        using var copy = PrometheusFiles.CopyToTemp();
        copy.Replace("rules/alerts.yml", "trial:sweeprunner_trial_kl_nats:test_past_epoch_3 < 0.05", "trial:sweeprunner_trial_kl_nats:test_past_epoch_3 < < 0.05");

        var result = await Promtool.RunAsync("check", "rules", copy["rules/alerts.yml"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("alerts.yml", result.Output, StringComparison.Ordinal);
        Assert.Contains("parse error", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configuration_with_a_broken_rule_file_fails_the_check()
    {
        using var copy = PrometheusFiles.CopyToTemp();
        copy.Replace("rules/recording.yml", "record: trial:sweeprunner_trial_kl_nats:test_past_epoch_3", "record: 'not a metric name'");

        var result = await Promtool.RunAsync("check", "config", copy["prometheus.yml"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("recording.yml", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_unit_tests_catch_an_alert_that_forgets_the_third_epoch()
    {
        using var copy = PrometheusFiles.CopyToTemp();
        copy.Replace("rules/recording.yml", """sweeprunner_trial_latent_kl_nats{split="test"} and on (sweep, trial) (sweeprunner_trial_epoch >= 3)""", """sweeprunner_trial_latent_kl_nats{split="test"}""");

        var result = await Promtool.RunAsync(["test", "rules", .. Directory.GetFiles(copy["tests"], "*.yml")]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("alertname: LatentDimensionCollapsed, time: 2m", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_unit_tests_catch_a_divergence_alert_blind_to_a_coordinators_first_divergence()
    {
        using var copy = PrometheusFiles.CopyToTemp();
        copy.Replace("rules/alerts.yml", """
                      or (sweeprunner_trial_failures_total{reason="diverged"} > 0 unless sweeprunner_trial_failures_total{reason="diverged"} offset 5m)
            """.TrimStart(), "");

        var result = await Promtool.RunAsync(["test", "rules", .. Directory.GetFiles(copy["tests"], "*.yml")]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("alertname: TrialDiverged, time: 21m", result.Output, StringComparison.Ordinal);
    }
}
