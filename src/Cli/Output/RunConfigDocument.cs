using SweepRunner.Contracts.Training;

namespace SweepRunner.Cli.Output;

/// <summary>The content of config.json: what the run trained, on which data, and how it ran.</summary>
internal sealed record RunConfigDocument(TrainingConfig Config, string DatasetFolder, string DatasetHash, int Threads, int? Digit);
