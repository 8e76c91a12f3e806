using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Hosting.Kubernetes;
using SweepRunner.Coordinator;

namespace SweepRunner.Deploy.Tests.Manifests;

/// <summary>
/// Orleans' Kubernetes hosting needs a Kubernetes API server, which a test machine lacks, so the real-process test
/// (<see cref="DeployedCommandsTests"/>) drops its switch. Here: the coordinator built with the environment the manifests
/// give it registers that hosting (which would watch the pods), and one built with compose's does not.
/// </summary>
public sealed class KubernetesHostingTests
{
    [Fact]
    public void The_Kubernetes_coordinator_uses_Orleans_Kubernetes_hosting() =>
        Assert.True(UsesKubernetesHosting(KubernetesManifests.Load().Command("Deployment", "coordinator", "coordinator")));

    [Fact]
    public void The_compose_coordinator_does_not() =>
        Assert.False(UsesKubernetesHosting(ComposeFile.Load().Command("coordinator")));

    /// <summary>Composes (does not start) a coordinator host from <paramref name="command"/>'s environment, as `sweep coordinator` does.</summary>
    private static bool UsesKubernetesHosting(DeployedCommand command)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(command.Environment.Select(variable => KeyValuePair.Create(variable.Key.Replace("__", ":", StringComparison.Ordinal), (string?)variable.Value)));
        builder.Configuration["Orleans:Clustering:ProviderType"] = "AdoNet";
        // An address beyond loopback that needs no name resolution; which one does not matter here.
        builder.Configuration["Coordinator:AdvertisedAddress"] = KubernetesManifests.PodIp;
        builder.AddCoordinator();
        return builder.Services.Any(service => service.ServiceType == typeof(IConfigureOptions<KubernetesHostingOptions>));
    }
}
