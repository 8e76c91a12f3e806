using SweepRunner.Contracts.Training;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;

namespace SweepRunner.Cli.Output;

/// <summary>The content of metrics.json: the config, every finished epoch, and the analysis once the run is done.</summary>
internal sealed record MetricsDocument(TrainingConfig Config, IReadOnlyList<EpochReport> Epochs, LatentAnalysis? Analysis = null);
