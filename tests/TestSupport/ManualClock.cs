namespace SweepRunner.TestSupport;

/// <summary>
/// A clock that moves only when told to, so lease expiry is tested without waiting. Only the wall-clock time is
/// manual: timers and timestamps are the system's, so a host that takes it from DI keeps running normally.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    // Whole seconds: what is stored is exactly what is read back on both providers.
    private long ticks = DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond;

    // Read and moved atomically: grains on other threads read it while a test advances it.
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
