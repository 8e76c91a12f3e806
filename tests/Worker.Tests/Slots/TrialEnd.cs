using SweepRunner.Storage.Records;
using SweepRunner.Storage.Trials;

namespace SweepRunner.Worker.Tests.Slots;

/// <summary>Waits for a trial that workers are training to reach a final status.</summary>
internal static class TrialEnd
{
    public static async Task<TrialRecord> WaitAsync(TrialStore trials, Guid trialId, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            var trial = await trials.GetAsync(trialId, cancel.Token);
            if (trial!.Status is not (TrialStatus.Pending or TrialStatus.Running)) return trial;
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancel.Token);
        }
    }
}
