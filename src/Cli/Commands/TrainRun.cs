using System.Text.Json;
using Spectre.Console;
using SweepRunner.Cli.Output;
using SweepRunner.Contracts.Training;
using SweepRunner.Models;
using SweepRunner.Models.Checkpoints;
using SweepRunner.Models.Data;
using SweepRunner.Models.Training;
using static TorchSharp.torch;

namespace SweepRunner.Cli.Commands;

/// <summary>One execution of <c>sweep train</c>: load, train epoch by epoch with a checkpoint after each, analyse, report.</summary>
internal sealed class TrainRun(TrainRequest request, IAnsiConsole console, TextWriter error)
{
    private string? savedCheckpoint;
    private int savedEpoch;

    /// <summary>Runs the request and turns each kind of failure into its message and exit code.</summary>
    public int Execute(CancellationToken cancellationToken)
    {
        try
        {
            return Train(cancellationToken);
        }
        catch (InputException ex)
        {
            return Fail(ex.Message, ExitCodes.BadInput);
        }
        catch (CheckpointException ex)
        {
            return Fail($"--weights: {ex.Message}", ExitCodes.BadInput);
        }
        catch (DatasetException ex)
        {
            return Fail(request.Data is null ? ex.Message : $"--data: {ex.Message}", ExitCodes.BadInput);
        }
        catch (TrainingDivergedException ex)
        {
            return Fail($"{ex.Message}; {SavedState()}", ExitCodes.Failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail($"cancelled; {SavedState()}", ExitCodes.Cancelled);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Fail(ex.Message, ExitCodes.Failure);
        }
    }

    private int Train(CancellationToken cancellationToken)
    {
        var checkpoint = LoadCheckpoint();
        var config = request.ResolveConfig(checkpoint);
        if (request.Threads is { } threads) set_num_threads(threads);
        var dataset = MnistDataset.Load(request.Data ?? MnistDataset.FindBundled());
        using var trainer = CreateTrainer(config, checkpoint, dataset);
        var run = new RunDirectory(request.OutFolder(trainer.Config));
        run.Write(new RunConfigDocument(trainer.Config, dataset.Folder, dataset.ContentHash, get_num_threads(), request.Digit));

        if (TrainEpochs(trainer, run, cancellationToken) == 0) Save(trainer, run);
        cancellationToken.ThrowIfCancellationRequested();
        var analysis = trainer.Analyze(request.IwaeSamples, request.IwaeExamples);
        run.Write(new MetricsDocument(trainer.Config, trainer.History, analysis));
        var figures = run.WriteFigures(trainer, unchecked((ulong)trainer.Config.Seed), request.Digit);
        Report(trainer, analysis, run, figures);
        return ExitCodes.Ok;
    }

    private Checkpoint? LoadCheckpoint()
    {
        if (request.Weights is not { } path) return null;
        var checkpoint = Checkpoint.Load(path);
        (savedCheckpoint, savedEpoch) = (path, checkpoint.Metadata.Epoch);
        return checkpoint;
    }

    private VaeTrainer CreateTrainer(TrainingConfig config, Checkpoint? checkpoint, MnistDataset dataset)
    {
        try
        {
            return checkpoint is null
                ? VaeTrainer.Start(config, dataset, request.TrainerOptions)
                : VaeTrainer.Resume(checkpoint, dataset, config.Epochs, request.TrainerOptions);
        }
        catch (ArgumentException ex)
        {
            // An invalid config, or images that are not 28 × 28.
            throw new InputException(ex.Message);
        }
    }

    /// <summary>Trains the remaining epochs, saving after each; returns how many were trained.</summary>
    private int TrainEpochs(VaeTrainer trainer, RunDirectory run, CancellationToken cancellationToken)
    {
        int before = trainer.CompletedEpochs;
        if (before >= trainer.Config.Epochs) return 0;
        if (request.Json)
        {
            trainer.Train(_ => Save(trainer, run), progress: null, cancellationToken);
        }
        else
        {
            console.Progress().Start(context =>
            {
                var progress = new EpochProgress(context);
                trainer.Train(report => { Save(trainer, run); progress.Complete(report); }, progress, cancellationToken);
            });
        }
        return trainer.CompletedEpochs - before;
    }

    private void Save(VaeTrainer trainer, RunDirectory run)
    {
        run.Save(trainer.CreateCheckpoint());
        run.Write(new MetricsDocument(trainer.Config, trainer.History));
        (savedCheckpoint, savedEpoch) = (run.CheckpointPath, trainer.CompletedEpochs);
    }

    private void Report(VaeTrainer trainer, LatentAnalysis analysis, RunDirectory run, IReadOnlyList<string> figures)
    {
        if (request.Json)
        {
            var metrics = JsonSerializer.SerializeToNode(new MetricsDocument(trainer.Config, trainer.History, analysis), ModelJson.Options)!.AsObject();
            metrics["out"] = run.Path;
            metrics["peak_rss_bytes"] = ProcessMemory.PeakResidentBytes();
            if (request.TrainerOptions.Profiler is { } profiler) metrics["profile"] = TrainReport.ProfileJson(profiler);
            console.Profile.Out.Writer.WriteLine(metrics.ToJsonString(ModelJson.Options));
            return;
        }

        string[] files = [run.CheckpointPath, Path.Combine(run.Path, RunDirectory.MetricsFileName), Path.Combine(run.Path, RunDirectory.ConfigFileName), .. figures];
        TrainReport.Write(console, trainer.History, analysis, files);
        if (request.TrainerOptions.Profiler is { } profiled) TrainReport.WriteProfile(console, profiled);
    }

    private string SavedState() => savedCheckpoint is null
        ? "no epoch had finished, so no checkpoint was written"
        : $"the checkpoint of epoch {savedEpoch} is {savedCheckpoint}";

    private int Fail(string message, int exitCode)
    {
        error.WriteLine($"error: {message}");
        return exitCode;
    }
}
