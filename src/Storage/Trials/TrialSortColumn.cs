namespace SweepRunner.Storage.Trials;

/// <summary>A column of <c>trials</c> that a sweep's trial table sorts by (<see cref="TrialStore.ListSortedAsync"/>).</summary>
public enum TrialSortColumn
{
    Number,
    Status,

    /// <summary>The last epoch reported (<see cref="Records.TrialRecord.CurrentEpoch"/>).</summary>
    Epoch,
    Attempt,
    Worker,
    TestTotal,
    TestRecon,
    TestKl,
    IwaeNll,
    ActiveUnits,
    CreatedAt,
    StartedAt,
    FinishedAt,
}
