namespace SweepRunner.Storage.Ids;

/// <summary>
/// New sweep and trial ids: random (version 4) UUIDs. Not time-ordered version 7 ones: those begin with 48 bits of
/// the clock, so sweeps made within a minute of each other, and a sweep and all its trials, would share their first
/// eight characters, the short id that people see and type (<see cref="IdPrefix"/>). Ids made before still work.
/// </summary>
internal static class RecordIds
{
    public static Guid New() => Guid.NewGuid();
}
