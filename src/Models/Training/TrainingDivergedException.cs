namespace SweepRunner.Models.Training;

/// <summary>The loss became NaN or infinite: the run cannot continue.</summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(int epoch, int batch, double loss)
        : base($"diverged: loss is {loss} at epoch {epoch}, batch {batch}")
    {
        Epoch = epoch;
        Batch = batch;
    }

    public int Epoch { get; }

    public int Batch { get; }
}
