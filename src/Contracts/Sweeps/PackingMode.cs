namespace SweepRunner.Contracts.Sweeps;

/// <summary>Whether a sweep's compatible trials train packed as one model (<c>packing: auto|off</c> in a sweep file).</summary>
public enum PackingMode
{
    /// <summary>Every trial trains alone (the default).</summary>
    Off,

    /// <summary>A slot leases up to its group size of trials with one <see cref="TrialPacking.KeyOf"/> and trains them as one packed model.</summary>
    Auto,
}
