namespace SweepRunner.Storage.Tests;

/// <summary>A clock that moves only when told to, so lease expiry is tested without waiting.</summary>
public sealed class ManualClock : TimeProvider
{
    // Whole seconds: what is stored is exactly what is read back on both providers.
    private DateTimeOffset now = new(DateTime.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
