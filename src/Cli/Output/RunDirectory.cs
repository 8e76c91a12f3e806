using System.Text.Json;
using SweepRunner.Models;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Figures;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;

namespace SweepRunner.Cli.Output;

/// <summary>The --out folder of a training run and the files in it.</summary>
internal sealed class RunDirectory
{
    public const string MetricsFileName = "metrics.json";
    public const string ConfigFileName = "config.json";

    public RunDirectory(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string CheckpointPath => File(Checkpoint.FileName);

    public void Save(Checkpoint checkpoint) => checkpoint.Save(CheckpointPath);

    public void Write(MetricsDocument metrics) => WriteJson(MetricsFileName, metrics);

    public void Write(RunConfigDocument config) => WriteJson(ConfigFileName, config);

    /// <summary>The trial's figures (<see cref="TrialFigures"/>); returns their paths.</summary>
    public IReadOnlyList<string> WriteFigures(VaeTrainer trainer, ulong seed, int? digit) =>
        TrialFigures.Write(Path, trainer.Model, trainer.TestSet, trainer.History, seed, digit);

    private string File(string name) => System.IO.Path.Combine(Path, name);

    private void WriteJson<T>(string name, T value) =>
        AtomicFile.Write(File(name), JsonSerializer.SerializeToUtf8Bytes(value, ModelJson.Options));
}
