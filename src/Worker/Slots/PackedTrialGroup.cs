using System.Runtime.ExceptionServices;
using SweepRunner.Contracts.Grains;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Slots;

/// <summary>
/// Trials a slot leased together, trained as one packed model (<see cref="ITrialTrainer.OpenPacked"/>). Each member is
/// its own attempt under its own lease and heartbeat: its epochs are stored, logged, reported and judged one by one as
/// those of a trial trained alone (<see cref="AttemptSteps"/>). A member that ends early (stopped by the sweep's early
/// termination, dropped, diverged, failed) or is no longer this slot's (lease lost) leaves the group, and the others
/// train on; a failure of the packed training itself is every member's.
/// </summary>
internal sealed class PackedTrialGroup(AttemptSteps steps, ITrialTrainer trainer)
{
    public void Train(IReadOnlyList<TrialLease> leases, CancellationToken stopping)
    {
        var attempts = leases.Select(lease => steps.Begin(lease, stopping)).ToList();
        try
        {
            Train(attempts, stopping);
        }
        finally
        {
            foreach (var attempt in attempts) attempt.Dispose();
        }
    }

    private void Train(List<TrialAttempt> attempts, CancellationToken stopping)
    {
        var configs = new Dictionary<TrialAttempt, TrialTrainingConfig>();
        foreach (var attempt in attempts)
        {
            steps.Run(attempt, () =>
            {
                configs[attempt] = TrialTrainingConfig.FromJson(attempt.Lease.ConfigJson);
                var others = attempts.Where(other => other != attempt).Select(other => other.Lease.Number).ToList();
                steps.LogStart(attempt, savedEpoch: null, $"; trains packed with trial{(others.Count == 1 ? "" : "s")} {string.Join(", ", others)}");
                return StepOutcome.Continue;
            });
        }

        var members = attempts.Where(configs.ContainsKey).ToList();
        if (members.Count == 0) return;
        var (run, failure) = Call(() => trainer.OpenPacked([.. members.Select(member => configs[member])]));
        using (run)
        {
            var active = Enumerable.Range(0, members.Count).ToList();
            while (failure is null && active.Count > 0 && run!.CompletedEpochs < run.TotalEpochs)
            {
                (var reports, failure) = Call(() => run.TrainEpoch(stopping));
                Step(members, active, run, member =>
                {
                    failure?.Throw();
                    members[member].Stopped.ThrowIfCancellationRequested();
                    if (run.DivergenceOf(member) is { } diverged) throw diverged;
                    return steps.RecordEpoch(members[member], run.Members[member], reports![member]!, run.TotalEpochs);
                });
            }

            Step(members, active, run, member =>
            {
                failure?.Throw();
                return steps.Complete(members[member], run!.Members[member]);
            });
        }
    }

    /// <summary>Runs <paramref name="step"/> for each active member; a member whose trial ends or leaves this slot leaves the group.</summary>
    private void Step(List<TrialAttempt> members, List<int> active, IPackedTrialTraining? run, Func<int, StepOutcome> step)
    {
        foreach (int member in active.ToList())
        {
            if (steps.Run(members[member], () => step(member))) continue;
            active.Remove(member);
            run?.Leave(member);
        }
    }

    /// <summary>
    /// A call of the whole group's training. Its exception is every member's: it is captured, and each member's step
    /// throws it again, so that each ends as a trial trained alone would (cancelled, failed, outlasted).
    /// </summary>
    private static (T? Value, ExceptionDispatchInfo? Failure) Call<T>(Func<T> call)
    {
        try
        {
            return (call(), null);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (default, ExceptionDispatchInfo.Capture(ex));
        }
    }
}
