using System.Globalization;
using Spectre.Console;
using SweepRunner.Models.Training;
using SweepRunner.Plotting;
using SweepRunner.Contracts.Training;

namespace SweepRunner.Cli.Output;

/// <summary>One Spectre progress task per epoch, advanced by the trainer's batch reports.</summary>
internal sealed class EpochProgress(ProgressContext context) : IProgress<BatchProgress>
{
    private readonly Dictionary<int, ProgressTask> tasks = [];

    public void Report(BatchProgress value)
    {
        var task = TaskOf(value.Epoch);
        task.MaxValue = value.BatchCount;
        task.Value = value.Batch;
    }

    /// <summary>Marks the epoch done and shows its test loss.</summary>
    public void Complete(EpochReport report)
    {
        var task = TaskOf(report.Epoch);
        task.Description = string.Create(CultureInfo.InvariantCulture, $"epoch {report.Epoch}: test loss {report.Test.Total:F2}");
        task.Value = task.MaxValue;
        task.StopTask();
    }

    private ProgressTask TaskOf(int epoch)
    {
        if (!tasks.TryGetValue(epoch, out var task))
        {
            task = context.AddTask(string.Create(CultureInfo.InvariantCulture, $"epoch {epoch}"));
            tasks.Add(epoch, task);
        }
        return task;
    }
}
