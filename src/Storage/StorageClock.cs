namespace SweepRunner.Storage;

internal static class StorageClock
{
    /// <summary>
    /// The current UTC time at microsecond precision, which both providers store exactly (PostgreSQL keeps no finer),
    /// so a record returned by a write equals the same record read back.
    /// </summary>
    public static DateTime StorageNow(this TimeProvider clock)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
