using SweepRunner.Contracts.Training;
namespace SweepRunner.Models.Training;

/// <summary>What one evaluation pass over a split measures: its losses and its latent statistics.</summary>
public sealed record SplitEvaluation(SplitLosses Losses, LatentStatistics Latents);
