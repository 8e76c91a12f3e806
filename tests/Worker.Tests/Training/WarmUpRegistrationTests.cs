using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Training;

/// <summary>
/// The worker's warm-up is the host's first service, whatever was registered before the worker (in <c>sweep run</c>:
/// the coordinator's schema step and silo), so that it begins before any of them starts.
/// </summary>
public sealed class WarmUpRegistrationTests
{
    [Fact]
    public void The_warm_up_comes_before_the_hosted_services_registered_ahead_of_the_worker()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:SweepRunner"] = "Data Source=unused.db" });
        builder.Services.AddHostedService<RegisteredFirst>();

        builder.AddWorker();

        var hosted = builder.Services.Where(service => service.ServiceType == typeof(IHostedService)).ToList();
        Assert.Equal(typeof(TrainerWarmUp), hosted[0].ImplementationType);
        Assert.Contains(hosted, service => service.ImplementationType == typeof(RegisteredFirst));
    }

    private sealed class RegisteredFirst : BackgroundService
    {
        protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.CompletedTask;
    }
}
