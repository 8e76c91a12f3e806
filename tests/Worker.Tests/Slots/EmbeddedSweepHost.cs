using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SweepRunner.Coordinator;
using SweepRunner.Storage.Connection;
using SweepRunner.TestSupport;
using SweepRunner.Worker.Training;

namespace SweepRunner.Worker.Tests.Slots;

/// <summary>A host composed as <c>sweep run</c> composes it: the coordinator and one worker slot, on localhost clustering.</summary>
internal static class EmbeddedSweepHost
{
    /// <summary>The host on the SQLite file <paramref name="database"/>, its slot training with <paramref name="trainer"/>.</summary>
    public static IHost Build(string database, ITrialTrainer trainer)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = database,
            [CoordinatorHostingExtensions.SiloPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            [CoordinatorHostingExtensions.GatewayPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture),
            [$"{WorkerOptions.SectionName}:{nameof(WorkerOptions.Threads)}"] = "1",
        });
        // Registered before AddWorker, which then keeps it instead of the VAE trainer.
        builder.Services.AddSingleton(trainer);
        builder.AddCoordinator();
        builder.AddWorker();
        return builder.Build();
    }
}
