using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Training;

/// <summary>
/// The worker warms its trainer up in the background from the moment its host starts, before the services registered
/// ahead of it (in <c>sweep run</c>: the schema migration and the silo); stopping waits for it; a failed warm-up stops nothing.
/// </summary>
public sealed class TrainerWarmUpTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_warm_up_begins_before_the_services_registered_ahead_of_it_start()
    {
        var trainer = new GatedTrainer();
        using var host = HostWith(trainer, new WaitsForTheWarmUp(trainer));

        // Deadlocks (and times out) unless the warm-up began before the first service's StartAsync.
        await host.StartAsync().WaitAsync(Patience);
        trainer.Release();
        await host.StopAsync().WaitAsync(Patience);

        Assert.Equal(1, trainer.WarmUps);
    }

    [Fact]
    public async Task Stopping_waits_for_a_warm_up_in_progress()
    {
        var trainer = new GatedTrainer();
        using var host = await StartedWhileWarmingUp(trainer);

        var stopping = host.StopAsync();
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted, "the host stopped while the warm-up was still running");

        trainer.Release();
        await stopping.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_shutdown_whose_timeout_expired_stops_without_waiting_or_failing()
    {
        var trainer = new GatedTrainer();
        using var host = await StartedWhileWarmingUp(trainer);

        await host.StopAsync(new CancellationToken(canceled: true)).WaitAsync(Patience);

        trainer.Release();
    }

    [Fact]
    public async Task A_failing_warm_up_ends_quietly()
    {
        var trainer = new GatedTrainer { Failure = new IOException("no data here") };
        trainer.Release();
        using var host = HostWith(trainer);

        await host.StartAsync().WaitAsync(Patience);
        await host.StopAsync().WaitAsync(Patience);

        Assert.Equal(1, trainer.WarmUps);
    }

    /// <summary>A started host whose warm-up has begun and runs until <paramref name="trainer"/> is released.</summary>
    private static async Task<IHost> StartedWhileWarmingUp(GatedTrainer trainer)
    {
        var host = HostWith(trainer);
        await host.StartAsync().WaitAsync(Patience);
        await trainer.Begun.WaitAsync(Patience);
        return host;
    }

    private static IHost HostWith(GatedTrainer trainer, IHostedService? registeredFirst = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (registeredFirst is not null) builder.Services.AddSingleton(registeredFirst);
        builder.Services.AddSingleton<IHostedService>(new TrainerWarmUp(trainer, NullLogger<TrainerWarmUp>.Instance));
        return builder.Build();
    }

    /// <summary>A service whose start needs the warm-up to have begun.</summary>
    private sealed class WaitsForTheWarmUp(GatedTrainer trainer) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => trainer.Begun.WaitAsync(Patience, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>A trainer whose warm-up says when it began and runs until released.</summary>
    private sealed class GatedTrainer : ITrialTrainer
    {
        private readonly TaskCompletionSource begun = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int WarmUps { get; private set; }

        public Exception? Failure { get; init; }

        public Task Begun => begun.Task;

        public void Release() => released.TrySetResult();

        public ITrialTraining Open(TrialTrainingConfig trial, byte[]? checkpoint) => throw new NotSupportedException();

        public void WarmUp()
        {
            WarmUps++;
            begun.SetResult();
            released.Task.Wait(Patience);
            if (Failure is not null) throw Failure;
        }
    }
}
