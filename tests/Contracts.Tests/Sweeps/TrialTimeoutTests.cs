using SweepRunner.Common;
using SweepRunner.Contracts.Sweeps;

namespace SweepRunner.Contracts.Tests.Sweeps;

/// <summary><c>trial_timeout</c> in a sweep file, and the one duration syntax it is written in.</summary>
public sealed class TrialTimeoutTests
{
    private const string Grid = "method: grid\nparameters:\n  beta: {values: [1]}\n";

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 30 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1h30m", 5400)]
    [InlineData("1h30s", 3630)]
    [InlineData("1s", 1)]
    [InlineData("100m", 6000)]
    public void A_duration_is_read_into_the_spec_and_kept_in_its_canonical_form(string written, int seconds)
    {
        var spec = SweepText.Spec(Grid + $"trial_timeout: {written}\n");
        var read = SweepSpecJson.Read(SweepSpecJson.Write(spec));

        Assert.Equal(TimeSpan.FromSeconds(seconds), spec.TrialTimeout);
        Assert.Equal(spec.TrialTimeout, read.TrialTimeout);
        Assert.Contains($"\"trial_timeout\":\"{Duration.Format(TimeSpan.FromSeconds(seconds))}\"", SweepSpecJson.Write(spec), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_the_key_the_sweep_has_no_limit_of_its_own()
    {
        var spec = SweepText.Spec(Grid);

        Assert.Null(spec.TrialTimeout);
        Assert.DoesNotContain("trial_timeout", SweepSpecJson.Write(spec), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0s", "found 0s")]
    [InlineData("-5m", "found -5m")]
    [InlineData("abc", "found abc")]
    [InlineData("5", "found 5; a number needs its unit: 5s, 5m or 5h")]
    [InlineData("1.5h", "found 1.5h")]
    [InlineData("30m2h", "found 30m2h")]
    [InlineData("5 m", "found 5 m")]
    [InlineData("\"\"", "found \"\"")]
    [InlineData("{minutes: 5}", "found a mapping")]
    public void A_value_that_is_not_a_duration_of_at_least_a_second_is_an_error_at_its_position(string written, string found)
    {
        var errors = SweepText.Errors(Grid + $"trial_timeout: {written}\n");

        Assert.Equal(
            [$"sweep.yaml:4:16: trial_timeout: expected a duration such as 90s, 30m, 2h or 1h30m (whole hours h, minutes m, seconds s), at least 1s; {found}"],
            errors);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(59.9, "59s")]
    [InlineData(60, "1m")]
    [InlineData(3600, "1h")]
    [InlineData(3661, "1h1m1s")]
    [InlineData(90061, "25h1m1s")]
    public void Durations_are_shown_in_their_shortest_form_which_reads_back(double seconds, string expected)
    {
        string shown = Duration.Format(TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, shown);
        Assert.True(Duration.TryParse(shown, out var read));
        Assert.Equal(TimeSpan.FromSeconds(Math.Floor(seconds)), read);
    }

    [Theory]
    [InlineData("")]
    [InlineData("h")]
    [InlineData("5x")]
    [InlineData("1m1m")]
    [InlineData("+5s")]
    [InlineData("99999999999999999999s")]
    [InlineData("9999999999999h")]
    public void Anything_else_is_no_duration(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
    }
}
