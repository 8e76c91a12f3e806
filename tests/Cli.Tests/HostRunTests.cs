using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SweepRunner.Cli.Commands;
using SweepRunner.Hosting;

namespace SweepRunner.Cli.Tests;

/// <summary>A coordinator or worker process ends with its host: stopped by the user (success) or by itself (failure), never lingering.</summary>
public sealed class HostRunTests
{
    [Fact]
    public async Task A_host_that_stops_by_itself_ends_the_wait_as_such()
    {
        using var host = Build(services => services.AddHostedService<FailingService>());
        await host.StartAsync();

        bool byItself = await HostRun.WaitForStopAsync(host, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(byItself);
    }

    [Fact]
    public async Task A_stop_asked_for_ends_the_wait_as_asked()
    {
        using var host = Build(_ => { });
        await host.StartAsync();
        using var stop = new CancellationTokenSource();

        var waiting = HostRun.WaitForStopAsync(host, stop.Token);
        Assert.False(waiting.IsCompleted);
        await stop.CancelAsync();

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(30)));
        await host.StopAsync();
    }

    [Fact]
    public void The_coordinator_and_worker_hosts_leave_the_signals_to_the_command()
    {
        // The console lifetime would stop the host from its own SIGTERM handler, and the wait could take a stop asked for as a failure.
        const string postgres = "Host=127.0.0.1;Port=1;Database=none;Username=none";
        using var coordinator = CoordinatorHost.Build("http://127.0.0.1:0", postgres);
        using var worker = WorkerHost.Build(postgres, slots: 1, threads: 1, device: "cpu", tags: [], name: null, metricsPort: 0, verbose: false);
        using var plainWorker = WorkerHost.Build(postgres, slots: 1, threads: 1, device: "cpu", tags: [], name: null, metricsPort: null, verbose: false);

        Assert.IsType<CommandLifetime>(((IHost)coordinator).Services.GetRequiredService<IHostLifetime>());
        Assert.IsType<CommandLifetime>(worker.Services.GetRequiredService<IHostLifetime>());
        Assert.IsType<CommandLifetime>(plainWorker.Services.GetRequiredService<IHostLifetime>());
    }

    [Fact]
    public void The_command_hosts_read_their_configuration_files_once_and_watch_no_folder()
    {
        // A reloading appsettings source watches the working directory with an inotify watch on every folder below it.
        const string postgres = "Host=127.0.0.1;Port=1;Database=none;Username=none";
        using var coordinator = CoordinatorHost.Build("http://127.0.0.1:0", postgres);
        using var worker = WorkerHost.Build(postgres, slots: 1, threads: 1, device: "cpu", tags: [], name: null, metricsPort: 0, verbose: false);
        using var embedded = EmbeddedHost.Build(new EmbeddedHostSettings(Path.Combine(Path.GetTempPath(), "unused.db"), 1) { Urls = "http://127.0.0.1:0" });

        foreach (var host in new IHost[] { coordinator, worker, embedded })
        {
            var files = ((IConfigurationRoot)host.Services.GetRequiredService<IConfiguration>()).Providers.OfType<FileConfigurationProvider>().ToList();
            Assert.NotEmpty(files);
            Assert.All(files, file => Assert.False(file.Source.ReloadOnChange, $"{file.Source.Path} reloads on change"));
        }
    }

    private static IHost Build(Action<IServiceCollection> services)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        services(builder.Services);
        return builder.Build();
    }

    /// <summary>A background service that fails once started, as a slot's thread would on an unexpected error: the host stops.</summary>
    private sealed class FailingService : BackgroundService
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            throw new InvalidOperationException("failed");
        }
    }
}
