using static TorchSharp.torch;

namespace SweepRunner.Models.Training;

/// <summary>
/// The batch loop of a training epoch, the same for one run (<see cref="VaeTrainer"/>) and for packed runs: one
/// shuffle of the training rows from the run's generator, then the batches in that order, each inside the
/// <see cref="TorchCallGate"/> and a dispose scope, with the forced collections and the progress between them.
/// </summary>
internal static class EpochBatches
{
    /// <summary>
    /// Calls <paramref name="trainBatch"/> with each batch's row indices (a view on <paramref name="device"/>, disposed
    /// with the batch's scope) and the batch's index from 0.
    /// </summary>
    public static void Run(
        long rows, int batchSize, Generator shuffleGenerator, Device device, TrainerOptions options, int epoch,
        Action<Tensor, int> trainBatch, IProgress<BatchProgress>? progress, CancellationToken cancellationToken)
    {
        int batchCount = (int)((rows + batchSize - 1) / batchSize);
        var profiler = options.Profiler;
        using var drawn = randperm(rows, generator: shuffleGenerator);
        using var order = drawn.to(device);
        for (int batch = 0; batch < batchCount; batch++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (options.CollectGarbageEveryBatches > 0 && batch > 0 && batch % options.CollectGarbageEveryBatches == 0)
            {
                TorchCallGate.Collect();
                profiler?.Mark(EpochPhase.Collection);
            }
            using (TorchCallGate.EnterBatch())
            using (NewDisposeScope())
            {
                long start = (long)batch * batchSize;
                var indices = order.narrow(0, start, Math.Min(batchSize, rows - start));
                trainBatch(indices, batch);
            }
            progress?.Report(new BatchProgress(epoch, batch + 1, batchCount));
            profiler?.Mark(EpochPhase.Other);
        }
    }
}
