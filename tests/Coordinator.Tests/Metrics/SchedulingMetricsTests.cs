using SweepRunner.Common;
using SweepRunner.Coordinator.Metrics;
using SweepRunner.Storage.Records;

namespace SweepRunner.Coordinator.Tests.Metrics;

public sealed class SchedulingMetricsTests
{
    [Fact]
    public void Failures_are_counted_by_class_every_class_from_zero()
    {
        using var measured = new MeasuredValues();
        var metrics = new SchedulingMetrics(measured.Meters);
        var before = Counts(measured, "sweeprunner_trial_failures", "reason");

        metrics.Ended(TrialStatus.Failed, FailureClass.Diverged);
        metrics.Ended(TrialStatus.Failed, FailureClass.Error);
        metrics.Ended(TrialStatus.Completed, null);
        metrics.Expired(count: 3, failed: 1, timedOut: 2);

        Assert.Equal(new Dictionary<string, double> { ["infrastructure"] = 0, ["diverged"] = 0, ["error"] = 0, ["timeout"] = 0 }, before);
        Assert.Equal(new Dictionary<string, double> { ["infrastructure"] = 1, ["diverged"] = 1, ["error"] = 1, ["timeout"] = 2 },
            Counts(measured, "sweeprunner_trial_failures", "reason"));
        var ended = Counts(measured, "sweeprunner_trials_ended", "status");
        Assert.Equal((5.0, 1.0), (ended["failed"], ended["completed"]));
        Assert.Equal(3, measured.Observe().Single(m => m.Instrument == "sweeprunner_lease_expiries").Value);
    }

    private static Dictionary<string, double> Counts(MeasuredValues measured, string instrument, string label) =>
        measured.Observe().Where(m => m.Instrument == instrument).ToDictionary(m => m[label]!, m => m.Value);
}
