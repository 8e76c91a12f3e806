using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SweepRunner.Contracts.Grains;
using SweepRunner.Storage;
using SweepRunner.Storage.Connection;
using SweepRunner.Storage.Schema;
using SweepRunner.TestSupport;

namespace SweepRunner.Coordinator.Tests;

/// <summary>
/// <c>Coordinator:AdvertisedAddress</c>: what a started coordinator silo writes to the membership table on PostgreSQL
/// (where remote workers find it), and where it accepts connections.
/// </summary>
public sealed class AdvertisedAddressTests
{
    /// <summary>Orleans' <c>SiloStatus.Active</c> as stored in the membership table.</summary>
    private const int ActiveStatus = 3;

    [Fact]
    public async Task By_default_the_silo_advertises_loopback()
    {
        await using var coordinator = await CoordinatorSilo.StartAsync(advertised: null);

        Assert.Equal(("127.0.0.1", coordinator.SiloPort, coordinator.GatewayPort, ActiveStatus), await coordinator.MembershipRowAsync());
    }

    [Fact]
    public async Task Another_address_is_advertised_and_the_silo_and_gateway_listen_on_every_address()
    {
        // TEST-NET-1: an address no interface of this host has, as behind NAT or in a container network. The silo
        // could not even bind it; listening on every address, it is reached through loopback.
        await using var coordinator = await CoordinatorSilo.StartAsync(advertised: "192.0.2.10");

        Assert.Equal(("192.0.2.10", coordinator.SiloPort, coordinator.GatewayPort, ActiveStatus), await coordinator.MembershipRowAsync());
        foreach (int port in new[] { coordinator.SiloPort, coordinator.GatewayPort })
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        }
    }

    /// <summary>A coordinator (<c>AddCoordinator</c>) with ADO.NET clustering on a throw-away PostgreSQL, started.</summary>
    private sealed class CoordinatorSilo : IAsyncDisposable
    {
        private readonly PostgresServer postgres;
        private readonly string database;
        private IHost? host;

        private CoordinatorSilo(PostgresServer postgres, string database)
        {
            this.postgres = postgres;
            this.database = database;
        }

        public int SiloPort { get; } = FreePort.Pick();

        public int GatewayPort { get; } = FreePort.Pick();

        public static async Task<CoordinatorSilo> StartAsync(string? advertised)
        {
            var postgres = await PostgresServer.StartAsync();
            var coordinator = new CoordinatorSilo(postgres, await postgres.CreateDatabaseAsync());
            try
            {
                await coordinator.StartHostAsync(advertised);
                return coordinator;
            }
            catch
            {
                await coordinator.DisposeAsync();
                throw;
            }
        }

        /// <summary>The one silo's row: address, silo port, gateway (proxy) port and status.</summary>
        public async Task<(string Address, int Port, int? ProxyPort, int Status)> MembershipRowAsync()
        {
            await using var connection = new NpgsqlConnection(database);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT address, port, proxyport, status FROM orleansmembershiptable", connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync(), "no silo in the membership table");
            var row = (reader.GetString(0), reader.GetInt32(1), await reader.IsDBNullAsync(2) ? (int?)null : reader.GetInt32(2), reader.GetInt32(3));
            Assert.False(await reader.ReadAsync(), "more than one silo in the membership table");
            return row;
        }

        public async ValueTask DisposeAsync()
        {
            if (host is not null)
            {
                await host.StopAsync();
                host.Dispose();
            }
            NpgsqlConnection.ClearAllPools();
            await postgres.DisposeAsync();
        }

        private async Task StartHostAsync(string? advertised)
        {
            await new SchemaMigrator(new SweepDbContextFactory(StorageConnection.Parse(database, Environment.CurrentDirectory)))
                .MigrateAsync(new SchemaOptions { OrleansClustering = true });

            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration[$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = database;
            builder.Configuration[SchemaOptions.OrleansClusteringKey] = "AdoNet";
            builder.Configuration[CoordinatorHostingExtensions.SiloPortKey] = SiloPort.ToString(CultureInfo.InvariantCulture);
            builder.Configuration[CoordinatorHostingExtensions.GatewayPortKey] = GatewayPort.ToString(CultureInfo.InvariantCulture);
            if (advertised is not null) builder.Configuration["Coordinator:AdvertisedAddress"] = advertised;
            // Beyond loopback a deployment names its own cluster (the built-in ids are refused there).
            builder.Configuration[ClusterIdentity.ServiceIdKey] = "advertised-service";
            builder.Configuration[ClusterIdentity.ClusterIdKey] = "advertised-cluster";
            builder.AddCoordinator();
            var built = builder.Build();
            try
            {
                await built.StartAsync();
            }
            catch
            {
                // A silo that did not start cannot be stopped: only disposed.
                built.Dispose();
                throw;
            }
            host = built;
        }
    }
}
