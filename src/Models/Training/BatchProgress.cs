namespace SweepRunner.Models.Training;

/// <summary>Progress inside an epoch, for progress bars.</summary>
public readonly record struct BatchProgress(int Epoch, int Batch, int BatchCount);
