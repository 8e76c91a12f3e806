using Microsoft.Extensions.Logging.Abstractions;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Training;

/// <summary>The worker warms its trainer up in the background as it starts, and a failed warm-up stops nothing.</summary>
public sealed class TrainerWarmUpTests
{
    [Fact]
    public async Task The_trainer_is_warmed_up_once_as_the_worker_starts()
    {
        var trainer = new CountingTrainer();
        using var warmUp = new TrainerWarmUp(trainer, NullLogger<TrainerWarmUp>.Instance);

        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.ExecuteTask!;

        Assert.Equal(1, trainer.WarmUps);
    }

    [Fact]
    public async Task A_failing_warm_up_ends_quietly()
    {
        var trainer = new CountingTrainer { Failure = new IOException("no data here") };
        using var warmUp = new TrainerWarmUp(trainer, NullLogger<TrainerWarmUp>.Instance);

        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.ExecuteTask!;

        Assert.Equal(1, trainer.WarmUps);
        Assert.True(warmUp.ExecuteTask!.IsCompletedSuccessfully);
    }

    private sealed class CountingTrainer : ITrialTrainer
    {
        public int WarmUps { get; private set; }

        public Exception? Failure { get; init; }

        public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint) => throw new NotSupportedException();

        public void WarmUp()
        {
            WarmUps++;
            if (Failure is not null) throw Failure;
        }
    }
}
