using System.Globalization;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SweepRunner.Coordinator.Api;
using SweepRunner.Storage.Connection;
using SweepRunner.TestSupport;

namespace SweepRunner.Coordinator.Tests.Api;

/// <summary>The coordinator with its REST API on a real Kestrel (port 0) and a fresh SQLite store (or a given database); no workers.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly string folder;

    private ApiServer(string folder, WebApplication app, Uri address)
    {
        this.folder = folder;
        App = app;
        // No cookie container: a test sends the session cookie itself, where it means to.
        Client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public T Service<T>()
        where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>
    /// Builds the host (throws what <c>AddCoordinatorApi</c> throws) and starts it; <paramref name="url"/> null leaves
    /// the addresses to <paramref name="settings"/> (more configuration: Kestrel endpoints, ports, Api keys);
    /// <paramref name="connectionString"/> names the store (a PostgreSQL database) instead of a new SQLite file.
    /// </summary>
    public static async Task<ApiServer> StartAsync(
        string? url = "http://127.0.0.1:0", string? token = null, IReadOnlyDictionary<string, string?>? settings = null, string? connectionString = null)
    {
        var folder = Directory.CreateTempSubdirectory("sweeprunner-api-").FullName;
        try
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = folder });
            builder.Configuration["urls"] = url;
            builder.Configuration[CoordinatorApiHostingExtensions.TokenKey] = token;
            if (settings is not null) builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration[$"ConnectionStrings:{StorageConnection.ConnectionStringName}"] = connectionString ?? Path.Combine(folder, "store.db");
            builder.Configuration[CoordinatorHostingExtensions.SiloPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture);
            builder.Configuration[CoordinatorHostingExtensions.GatewayPortKey] = FreePort.Pick().ToString(CultureInfo.InvariantCulture);
            // The tests lease trials by hand and never renew them: their leases outlast the test.
            builder.Configuration["Coordinator:LeaseDuration"] = "00:10:00";
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.AddCoordinator();
            builder.AddCoordinatorApi();
            var app = builder.Build();
            app.MapCoordinatorApi();
            await app.StartAsync();
            // Kestrel reports the port it took for port 0; a wildcard address is reached through loopback.
            var bound = new Uri(app.Urls.First());
            return new ApiServer(folder, app, new UriBuilder(bound) { Host = "127.0.0.1" }.Uri);
        }
        catch
        {
            Directory.Delete(folder, recursive: true);
            throw;
        }
    }

    /// <summary>POSTs <paramref name="yaml"/> as a sweep file named <paramref name="file"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string yaml, string file = "test.yaml", string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sweeps?file={file}") { Content = new StringContent(yaml, System.Text.Encoding.UTF8, "text/yaml") };
        if (token is not null) request.Headers.Authorization = new("Bearer", token);
        return await Client.SendAsync(request);
    }

    /// <summary>Submits a valid sweep and returns its id.</summary>
    public async Task<Guid> SubmitValidAsync(string yaml, string? token = null)
    {
        using var response = await SubmitAsync(yaml, token: token);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SweepRunner.Contracts.Grains.SweepSnapshot>(ApiJson.Options))!.SweepId;
    }

    /// <summary>How many sweeps the store holds: what a refused request must leave unchanged.</summary>
    public async Task<int> StoredSweepCountAsync() =>
        (await Service<SweepRunner.Storage.Sweeps.SweepStore>().ListAsync(null, 1000)).Count;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Npgsql.NpgsqlConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
