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
            if (options.CollectGarbageEveryBatches > 0 && batch % options.CollectGarbageEveryBatches == 0)
            {
                // A batch's wrappers are young when the next collection comes, so the young generations hold them:
                // collecting only those pauses every slot of the process for a few milliseconds, where a full
                // collection marks the host's whole heap. The full one, once an epoch, takes what the last epoch's
                // end left in the large-object heap (a checkpoint's bytes, figures), which only it collects.
                TorchCallGate.Collect(full: batch == 0);
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
