using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SweepRunner.Storage;

namespace SweepRunner.Coordinator.Tests;

/// <summary><c>Coordinator:AdvertisedAddress</c>: the silo endpoint workers find in the membership table (hosts built, not started).</summary>
public sealed class AdvertisedAddressTests
{
    [Fact]
    public void By_default_the_silo_advertises_and_listens_on_loopback_only()
    {
        var endpoints = SiloEndpoints(advertised: null);

        Assert.Equal(IPAddress.Loopback, endpoints.AdvertisedIPAddress);
        // No listening endpoints of their own: the silo and the gateway listen on the advertised address.
        Assert.Equal((null, null), (endpoints.SiloListeningEndpoint, endpoints.GatewayListeningEndpoint));
    }

    [Fact]
    public void Another_address_is_advertised_and_the_silo_and_gateway_listen_on_every_address()
    {
        var endpoints = SiloEndpoints(advertised: "10.20.30.40");

        Assert.Equal(IPAddress.Parse("10.20.30.40"), endpoints.AdvertisedIPAddress);
        Assert.Equal((IPAddress.Any, IPAddress.Any), (endpoints.SiloListeningEndpoint?.Address, endpoints.GatewayListeningEndpoint?.Address));
    }

    [Fact]
    public void The_address_is_bound_to_the_coordinator_options()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration["Coordinator:AdvertisedAddress"] = "coordinator.example";
        builder.AddCoordinatorServices();
        using var host = builder.Build();

        Assert.Equal("coordinator.example", host.Services.GetRequiredService<IOptions<CoordinatorOptions>>().Value.AdvertisedAddress);
    }

    /// <summary>The endpoints of a coordinator on PostgreSQL (ADO.NET clustering, the case where workers are remote).</summary>
    private static EndpointOptions SiloEndpoints(string? advertised)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration[$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = "Host=db.invalid;Database=sweeps";
        builder.Configuration[SchemaOptions.OrleansClusteringKey] = "AdoNet";
        if (advertised is not null) builder.Configuration["Coordinator:AdvertisedAddress"] = advertised;
        builder.AddCoordinator();
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
    }
}
