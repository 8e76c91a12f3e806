namespace SweepRunner.Models.Training;

/// <summary>The parts an epoch's wall time is split into by <see cref="EpochProfiler"/>.</summary>
public enum EpochPhase
{
    /// <summary>The shuffle and each batch's rows gathered from the resident split.</summary>
    Data,

    /// <summary>Encoder, reparameterisation, decoder and the loss.</summary>
    Forward,

    /// <summary>Gradients cleared and back-propagated.</summary>
    Backward,

    /// <summary>The optimizer's update of the parameters.</summary>
    Optimizer,

    /// <summary>The end-of-epoch pass over the test split.</summary>
    Evaluation,

    /// <summary>Forced .NET collections (<see cref="TrainerOptions.CollectGarbageEveryBatches"/>).</summary>
    Collection,

    /// <summary>The rest: reading the batch's losses, progress, releasing the batch's tensors.</summary>
    Other,
}
