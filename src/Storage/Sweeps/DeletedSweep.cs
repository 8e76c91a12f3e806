namespace SweepRunner.Storage.Sweeps;

/// <summary>What <see cref="SweepStore.DeleteAsync"/> removed: the sweep, its trials, and the bytes its checkpoints took.</summary>
public sealed record DeletedSweep(Guid Id, string Name, int Trials, long CheckpointBytes);
